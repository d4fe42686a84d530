package org.clusterdns.kube2sky.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.clusterdns.etcd.EtcdConfig;

/**
 * kube2sky's validated configuration.
 *
 * @param domain the cluster domain, absolute and lower-case ({@code cluster.local.})
 * @param etcd how to reach etcd and the key prefix the records live under
 * @param kubeMasterUrl the API server URL ({@code --kube-master-url}, environment variables
 *     expanded); overrides the kubeconfig's server, and used alone (without credentials, as
 *     kube2sky did) when no kubeconfig file is given
 * @param kubecfgFile the kubeconfig file ({@code --kubecfg-file}); with neither this nor the URL,
 *     the client configures itself (in-cluster service account, {@code KUBECONFIG}, {@code ~/.kube/config})
 * @param healthzAddress where {@code /healthz}, {@code /readyz} and {@code /metrics} are served (port 0: any free port)
 * @param resyncPeriod how often every Service is reconciled and unowned records are removed; positive
 * @param legacyNames whether the 2014 addon's names {@code <svc>.<ns>.<domain>} are written too
 * @param etcdMaxTxnOps the most operations in one etcd transaction (etcd's {@code --max-txn-ops})
 */
public record Kube2SkyConfig(
    String domain,
    EtcdConfig etcd,
    Optional<URI> kubeMasterUrl,
    Optional<Path> kubecfgFile,
    InetSocketAddress healthzAddress,
    Duration resyncPeriod,
    boolean legacyNames,
    int etcdMaxTxnOps) {

  /** Checks that every part is present, the domain absolute and the resync period positive. */
  public Kube2SkyConfig {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(etcd, "etcd");
    Objects.requireNonNull(kubeMasterUrl, "kubeMasterUrl");
    Objects.requireNonNull(kubecfgFile, "kubecfgFile");
    Objects.requireNonNull(healthzAddress, "healthzAddress");
    Objects.requireNonNull(resyncPeriod, "resyncPeriod");
    if (!domain.endsWith(".")) {
      throw new IllegalArgumentException("the domain must be absolute (end with a dot): " + domain);
    }
    if (resyncPeriod.isNegative() || resyncPeriod.isZero()) {
      throw new IllegalArgumentException("the resync period must be positive: " + resyncPeriod);
    }
    if (etcdMaxTxnOps < 2) {
      throw new IllegalArgumentException("a transaction must hold at least 2 operations: " + etcdMaxTxnOps);
    }
  }
}
