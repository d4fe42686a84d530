package org.clusterdns.kube2sky.watch;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.clusterdns.kube2sky.config.Kube2SkyConfig;

/**
 * Builds the Kubernetes API client the way kube2sky chose its API server:
 *
 * <ul>
 *   <li>{@code --kubecfg-file} (with or without {@code --kube-master-url}): that kubeconfig's
 *       current context, its server replaced by the URL when one is given;
 *   <li>{@code --kube-master-url} alone: that URL, without credentials (kube2sky's behaviour; meant
 *       for an API server proxy or an insecure port);
 *   <li>neither: fabric8's auto-configuration ({@link Config#autoConfigure}): the kubeconfig files
 *       named by {@code KUBECONFIG}, else {@code ~/.kube/config}, else the in-cluster service
 *       account (token and CA under {@code /var/run/secrets/kubernetes.io/serviceaccount},
 *       server from {@code KUBERNETES_SERVICE_HOST}/{@code KUBERNETES_SERVICE_PORT}); then
 *       fabric8's {@code kubernetes.*} system properties and {@code KUBERNETES_*} variables.
 * </ul>
 *
 * <p>The client uses the JDK HTTP client (the Vert.x one does not run next to jetcd's Vert.x 5).
 */
public final class KubernetesClients {
  private KubernetesClients() {}

  /**
   * Creates the client for {@code config}; the caller closes it.
   *
   * @throws IllegalArgumentException when the kubeconfig file cannot be used; the message names it
   */
  public static KubernetesClient create(Kube2SkyConfig config) {
    return new KubernetesClientBuilder()
        .withConfig(clientConfig(config.kubeMasterUrl(), config.kubecfgFile()))
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
  }

  /** Returns the client configuration for the two flags, as described on the class. */
  static Config clientConfig(Optional<URI> masterUrl, Optional<Path> kubecfgFile) {
    Config base;
    if (kubecfgFile.isPresent()) {
      try {
        base = Config.fromKubeconfig(kubecfgFile.get().toFile());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("--kubecfg-file " + kubecfgFile.get() + ": not a usable kubeconfig: "
            + e.getMessage(), e);
      }
    } else if (masterUrl.isPresent()) {
      base = Config.empty();
    } else {
      return Config.autoConfigure(null);
    }
    return masterUrl.isEmpty() ? base : new ConfigBuilder(base).withMasterUrl(masterUrl.get().toString()).build();
  }
}
