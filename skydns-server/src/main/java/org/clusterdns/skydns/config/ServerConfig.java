package org.clusterdns.skydns.config;

import org.clusterdns.etcd.EtcdConfig;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The complete, validated configuration of skydns-server: flags, environment and the etcd
 * {@code /<prefix>/config} object merged, and SkyDNS's defaults applied. Built by
 * {@link ServerConfigLoader}.
 *
 * @param answer what shapes authoritative answers (domain, hostmaster, TTLs, local, round robin, wildcards)
 * @param etcd how to reach etcd and where the records are
 * @param listen where the DNS transport listens
 * @param nameservers upstream servers for queries outside the domain, in order
 * @param noRec whether queries outside the domain are refused rather than forwarded
 * @param ndots how many labels a name needs before it is forwarded (at least 1)
 * @param readTimeout the read timeout for upstream servers (positive)
 * @param nsRotate whether forwarded queries are spread over the nameservers
 * @param forwardMaxOutstanding how many distinct questions may wait for upstream servers at once
 * @param stubZones whether stub zones under {@code stub.dns.<domain>} are served
 * @param dnssecKey the DNSSEC key base name ({@code <base>.key}, {@code <base>.private}), if signing
 * @param signatureCacheSize capacity of the signature cache (0 = off)
 * @param responseCacheSize capacity of the response cache (0 = off)
 * @param responseCacheTtl lifetime of response cache entries (positive)
 * @param systemd whether to serve sockets handed over by systemd instead of {@code listen.address}
 * @param verbose whether every query is logged
 * @param metrics operations endpoints and metric names
 */
public record ServerConfig(
    AnswerConfig answer,
    EtcdConfig etcd,
    ListenConfig listen,
    List<InetSocketAddress> nameservers,
    boolean noRec,
    int ndots,
    Duration readTimeout,
    boolean nsRotate,
    int forwardMaxOutstanding,
    boolean stubZones,
    Optional<String> dnssecKey,
    int signatureCacheSize,
    int responseCacheSize,
    Duration responseCacheTtl,
    boolean systemd,
    boolean verbose,
    MetricsConfig metrics) {

  /** Copies the nameserver list and checks that nothing is null. */
  public ServerConfig {
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(etcd, "etcd");
    Objects.requireNonNull(listen, "listen");
    nameservers = List.copyOf(nameservers);
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(dnssecKey, "dnssecKey");
    Objects.requireNonNull(responseCacheTtl, "responseCacheTtl");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** Returns this configuration listening on {@code other} instead (tests need port 0, which -addr refuses). */
  public ServerConfig withListen(ListenConfig other) {
    return new ServerConfig(answer, etcd, other, nameservers, noRec, ndots, readTimeout, nsRotate,
        forwardMaxOutstanding, stubZones, dnssecKey, signatureCacheSize, responseCacheSize, responseCacheTtl,
        systemd, verbose, metrics);
  }
}
