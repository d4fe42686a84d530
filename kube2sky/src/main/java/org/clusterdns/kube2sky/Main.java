package org.clusterdns.kube2sky;

import io.etcd.jetcd.Client;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import org.clusterdns.etcd.EtcdClients;
import org.clusterdns.kube2sky.config.Kube2SkyConfig;
import org.clusterdns.kube2sky.config.Kube2SkyConfigLoader;
import org.clusterdns.kube2sky.watch.KubernetesClients;
import org.clusterdns.process.flags.ConfigException;
import org.clusterdns.process.lifecycle.FatalErrors;
import org.clusterdns.process.lifecycle.Shutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kube2sky command: reads flags and environment, connects to etcd and the API server, and
 * keeps the DNS records of the cluster's Services in etcd until the process is told to stop.
 *
 * <p>Exit codes: 0 after {@code --help} or {@code --version}; 2 when a setting is invalid (the
 * message names it); 1 when it cannot start (the health port is taken). etcd or API server
 * failures never end the process: it retries and reports not ready.
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);
  private static final int INVALID_CONFIGURATION = 2;
  private static final int CANNOT_START = 1;

  private Main() {}

  /** Runs kube2sky; returns only when it could not start. */
  public static void main(String[] args) {
    FatalErrors.install();
    System.exit(run(args, Kube2SkyConfigLoader.forThisProcess(), System.out, System.err));
  }

  /** Starts kube2sky and blocks until shutdown; returns the exit code. */
  static int run(String[] args, Kube2SkyConfigLoader loader, PrintStream out, PrintStream err) {
    Kube2SkyConfigLoader.Result parsed;
    try {
      parsed = loader.parse(args);
    } catch (ConfigException e) {
      err.println("kube2sky: " + e.getMessage());
      return INVALID_CONFIGURATION;
    }
    if (parsed instanceof Kube2SkyConfigLoader.ShowHelp help) {
      out.print(help.text());
      return 0;
    }
    if (parsed instanceof Kube2SkyConfigLoader.ShowVersion version) {
      out.println(version.text());
      return 0;
    }
    Kube2SkyConfig config = ((Kube2SkyConfigLoader.Start) parsed).config();
    Client etcd;
    KubernetesClient kubernetes;
    try {
      etcd = EtcdClients.create(config.etcd());
    } catch (IllegalArgumentException e) {
      err.println("kube2sky: " + e.getMessage());
      return INVALID_CONFIGURATION;
    }
    try {
      kubernetes = KubernetesClients.create(config);
    } catch (IllegalArgumentException e) {
      err.println("kube2sky: " + e.getMessage());
      etcd.close();
      return INVALID_CONFIGURATION;
    }
    try {
      Kube2Sky kube2sky = Kube2Sky.start(config, kubernetes, etcd);
      Shutdown.awaitThenClose(kube2sky, kubernetes, etcd);
      return 0;
    } catch (Exception e) {
      err.println("kube2sky: cannot start: " + e.getMessage());
      log.debug("start-up failed", e);
      kubernetes.close();
      etcd.close();
      return CANNOT_START;
    }
  }
}
