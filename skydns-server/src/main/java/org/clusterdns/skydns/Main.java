package org.clusterdns.skydns;

import io.etcd.jetcd.Client;
import java.io.PrintStream;
import java.util.Optional;
import org.clusterdns.etcd.EtcdClients;
import org.clusterdns.etcd.EtcdReadException;
import org.clusterdns.process.flags.ConfigException;
import org.clusterdns.skydns.config.BootstrapConfig;
import org.clusterdns.skydns.config.ServerConfig;
import org.clusterdns.skydns.config.ServerConfigLoader;
import org.clusterdns.process.lifecycle.FatalErrors;
import org.clusterdns.process.lifecycle.Shutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skydns-server command: reads flags and environment, reads {@code /<prefix>/config} from
 * etcd, starts the server and runs until the process is told to stop.
 *
 * <p>Exit codes: 0 after {@code --help} or {@code -version}; 2 when the configuration is invalid
 * (the message names the setting); 1 when the server cannot start (an address is taken).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);
  private static final int INVALID_CONFIGURATION = 2;
  private static final int CANNOT_START = 1;

  private Main() {}

  /** Runs the server; returns only when it could not start. */
  public static void main(String[] args) {
    FatalErrors.install();
    int code = run(args, ServerConfigLoader.forThisProcess(), System.out, System.err);
    System.exit(code);
  }

  /** Starts the server and blocks until shutdown; returns the exit code. */
  static int run(String[] args, ServerConfigLoader loader, PrintStream out, PrintStream err) {
    ServerConfigLoader.Result parsed;
    try {
      parsed = loader.parse(args);
    } catch (ConfigException e) {
      err.println("skydns-server: " + withHelpHint(e.getMessage()));
      return INVALID_CONFIGURATION;
    }
    if (parsed instanceof ServerConfigLoader.ShowHelp help) {
      out.print(help.text());
      return 0;
    }
    if (parsed instanceof ServerConfigLoader.ShowVersion version) {
      out.println(version.text());
      return 0;
    }
    BootstrapConfig bootstrap = ((ServerConfigLoader.Start) parsed).bootstrap();

    Client etcd;
    try {
      etcd = EtcdClients.create(bootstrap.etcd());
    } catch (IllegalArgumentException e) {
      err.println("skydns-server: " + e.getMessage());
      return INVALID_CONFIGURATION;
    }
    try {
      ServerConfig config = loader.complete(bootstrap, readConfigObject(etcd, bootstrap));
      if (config.systemd()) {
        err.println("skydns-server: -systemd (socket activation) is not supported; use -addr");
        etcd.close();
        return INVALID_CONFIGURATION;
      }
      warnAboutInactiveSettings(config);
      SkyDnsServer server = SkyDnsServer.start(config, etcd);
      Shutdown.awaitThenClose(server, etcd);
      return 0;
    } catch (ConfigException e) {
      err.println("skydns-server: " + withHelpHint(e.getMessage()));
      etcd.close();
      return INVALID_CONFIGURATION;
    } catch (Exception e) {
      err.println("skydns-server: cannot start: " + e.getMessage());
      log.debug("start-up failed", e);
      etcd.close();
      return CANNOT_START;
    }
  }

  private static String withHelpHint(String message) {
    return message.contains("(see -help)") ? message : message + " (see --help)";
  }

  /**
   * Reads the etcd configuration object. SkyDNS starts without it when etcd cannot be read, and so
   * do we: the records then load as soon as etcd answers, but settings in the object are missed
   * until a restart, which the warning says.
   */
  private static Optional<byte[]> readConfigObject(Client etcd, BootstrapConfig bootstrap) {
    try {
      Optional<byte[]> object = EtcdClients.readKey(etcd, bootstrap.configKey(), bootstrap.etcd().requestTimeout());
      log.info(object.isPresent() ? "applying the configuration object {}" : "no configuration object at {}",
          bootstrap.configKey());
      return object;
    } catch (EtcdReadException e) {
      log.warn("cannot read the configuration object ({}); starting with flags and environment only",
          e.getMessage());
      return Optional.empty();
    }
  }

  /** Says which accepted settings belong to features that are not part of this build yet. */
  private static void warnAboutInactiveSettings(ServerConfig config) {
    if (config.dnssecKey().isPresent()) {
      log.warn("-dnssec is accepted but replies are not signed yet: DNSSEC is not implemented");
    }
  }
}
