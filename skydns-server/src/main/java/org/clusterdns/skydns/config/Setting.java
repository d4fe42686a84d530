package org.clusterdns.skydns.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Every configuration input, as one table: the flag (written {@code -name}, {@code -name=value} or
 * with two dashes, as Go's flag package allows), the environment variable it falls back to, the
 * built-in default, the keys of the etcd {@code /<prefix>/config} object that override it, and the
 * help text. Flags with no value label are booleans: {@code -name} means true, and
 * {@code -name=false} switches them off.
 */
enum Setting {
  DOMAIN("domain", "SKYDNS_DOMAIN", "skydns.local.", null, "<domain>", List.of("domain"),
      "Domain to be authoritative for."),
  ADDR("addr", "SKYDNS_ADDR", "127.0.0.1:53", null, "<ip:port>", List.of("dns_addr"),
      "Address to serve DNS on over UDP and TCP: a literal IP (IPv6 in brackets) and a port 1-65535."),
  NAMESERVERS("nameservers", "SKYDNS_NAMESERVERS", "", "the nameserver lines of /etc/resolv.conf, port 53",
      "<ip:port,...>", List.of("nameservers"),
      "Upstream servers for queries outside the domain, comma-separated, each a literal IP and port."),
  NO_REC("no-rec", null, "false", null, null, List.of("no_rec"),
      "Do not forward queries outside the domain (answer them with SERVFAIL)."),
  MACHINES("machines", "ETCD_MACHINES", "http://127.0.0.1:2379", null, "<url,...>", List.of(),
      "etcd endpoints, comma-separated http:// or https:// URLs."),
  DNSSEC("dnssec", null, "", "none", "<base>", List.of("dnssec"),
      "Sign answers with the DNSSEC key in <base>.key and <base>.private (both must be readable)."),
  LOCAL("local", null, "", "none", "<name>", List.of("local"),
      "Name that queries for local.dns.<domain> are answered from (a host-local value)."),
  TLS_KEY("tls-key", "ETCD_TLSKEY", "", "none", "<file>", List.of(),
      "Client private key (PEM) for TLS to etcd; needs -tls-pem."),
  TLS_PEM("tls-pem", "ETCD_TLSPEM", "", "none", "<file>", List.of(),
      "Client certificate (PEM) for TLS to etcd; needs -tls-key."),
  CA_CERT("ca-cert", "ETCD_CACERT", "", "none", "<file>", List.of(),
      "CA bundle (PEM) that signed the etcd server certificate."),
  USERNAME("username", "ETCD_USERNAME", "", "none", "<user>", List.of(),
      "etcd user to authenticate as; needs -password."),
  PASSWORD("password", "ETCD_PASSWORD", "", "none", "<password>", List.of(),
      "Password of the etcd user; needs -username."),
  RTIMEOUT("rtimeout", null, "2s", null, "<duration>", List.of("read_timeout"),
      "Read timeout for upstream servers, Go duration syntax (2s, 500ms, 1m30s); 0 means 2s."),
  ROUND_ROBIN("round-robin", null, "true", null, null, List.of("round_robin"),
      "Shuffle the address records of each answer."),
  NS_ROTATE("ns-rotate", null, "true", null, null, List.of("ns_rotate"),
      "Spread queries over the upstream servers instead of always asking the first."),
  FORWARD_MAX_OUTSTANDING("forward-max-outstanding", null, "1000", null, "<n>", List.of(),
      "Most distinct questions waiting for upstream servers at once (1 or more); beyond it, SERVFAIL at once."),
  STUBZONES("stubzones", null, "false", null, null, List.of(),
      "Forward the zones described under stub.dns.<domain> to their servers."),
  VERBOSE("verbose", null, "false", null, null, List.of(),
      "Log every query."),
  SYSTEMD("systemd", "SKYDNS_SYSTEMD", "false", null, null, List.of("systemd"),
      "Serve the sockets handed over by systemd socket activation instead of -addr."),
  VERSION("version", null, "false", null, null, List.of(),
      "Print the version and exit."),
  HOSTMASTER("hostmaster", null, "", "hostmaster.<domain>", "<email>", List.of("hostmaster"),
      "Hostmaster of the SOA record; an @ becomes a dot."),
  SCACHE("scache", null, "10000", null, "<n>", List.of("scache"),
      "Capacity of the DNSSEC signature cache; a negative value means 0."),
  RCACHE("rcache", null, "0", null, "<n>", List.of("rcache"),
      "Capacity of the response cache; 0 (or negative) switches it off."),
  RCACHE_TTL("rcache-ttl", null, "60", null, "<seconds>", List.of("rcache_ttl"),
      "Seconds a response stays in the response cache; 0 means 60."),
  NDOTS("ndots", "SKYDNS_NDOTS", "2", null, "<n>", List.of("ndot", "ndots"),
      "Labels a name needs before it is forwarded upstream; 0 or less means 2."),
  PATH_PREFIX("path-prefix", "SKYDNS_PATH_PREFIX", "skydns", null, "<prefix>", List.of(),
      "etcd key prefix, one path segment: records live under /<prefix>/, this object at /<prefix>/config."),
  ETCD3("etcd3", null, "false", null, null, List.of(),
      "Accepted for compatibility and ignored: etcd's v3 API is always used."),
  WILDCARDS("wildcards", "SKYDNS_WILDCARDS", "true", null, null, List.of("wildcards"),
      "Answer wildcard queries (* and any labels); false switches them off, so clients cannot list every service."),
  HEALTH_ADDR("health-addr", "SKYDNS_HEALTH_ADDR", "127.0.0.1:8081", null, "<ip:port>", List.of(),
      "HTTP address of /healthz, /readyz and /metrics (port 0: any free port); an empty value switches the server off."),

  PROMETHEUS_PORT(null, "PROMETHEUS_PORT", "", "metrics only on -health-addr", "<port>", List.of(),
      "Also serve the metrics on this port, all interfaces, at PROMETHEUS_PATH."),
  PROMETHEUS_PATH(null, "PROMETHEUS_PATH", "/metrics", null, "<path>", List.of(),
      "HTTP path of the metrics on PROMETHEUS_PORT."),
  PROMETHEUS_NAMESPACE(null, "PROMETHEUS_NAMESPACE", "skydns", null, "<name>", List.of(),
      "First part of every metric name."),
  PROMETHEUS_SUBSYSTEM(null, "PROMETHEUS_SUBSYSTEM", "skydns", null, "<name>", List.of(),
      "Second part of every metric name."),

  PRIORITY(null, null, "10", null, "<n>", List.of("priority"),
      "SRV priority / MX preference (0-65535) of records without one; 0 means 10."),
  TTL(null, null, "3600", null, "<seconds>", List.of("ttl"),
      "TTL of records without one; 0 means 3600."),
  MIN_TTL(null, null, "60", null, "<seconds>", List.of("min_ttl"),
      "TTL of negative answers and the SOA minimum; 0 means 60.");

  private final String flag;
  private final String env;
  private final String defaultValue;
  private final String shownDefault;
  private final String valueLabel;
  private final List<String> etcdKeys;
  private final String description;

  /**
   * @param flag the flag name without dashes, or null when there is no flag
   * @param env the environment variable, or null
   * @param defaultValue the built-in default, in flag syntax; empty means unset
   * @param shownDefault what help shows as the default when it is not {@code defaultValue} itself
   * @param valueLabel the value placeholder in help, or null for booleans
   * @param etcdKeys the keys of the etcd config object that override this setting
   * @param description one sentence of help
   */
  Setting(String flag, String env, String defaultValue, String shownDefault, String valueLabel,
      List<String> etcdKeys, String description) {
    this.flag = flag;
    this.env = env;
    this.defaultValue = defaultValue;
    this.shownDefault = shownDefault;
    this.valueLabel = valueLabel;
    this.etcdKeys = etcdKeys;
    this.description = description;
  }

  /** Returns the flag as SkyDNS spells it ({@code -domain}), or null. */
  String flag() {
    return flag == null ? null : "-" + flag;
  }

  /** Returns the environment variable, or null. */
  String env() {
    return env;
  }

  /** Returns the built-in default in flag syntax; empty means unset. */
  String defaultValue() {
    return defaultValue;
  }

  /** Returns whether this is a boolean flag. */
  boolean isBoolean() {
    return valueLabel == null;
  }

  /** Returns the value placeholder for help, or null for booleans. */
  String valueLabel() {
    return valueLabel;
  }

  /** Returns the etcd config keys that override this setting. */
  List<String> etcdKeys() {
    return etcdKeys;
  }

  /** Returns the description without the default. */
  String description() {
    return description;
  }

  /** Returns the default as help shows it. */
  String shownDefault() {
    return shownDefault != null ? shownDefault : defaultValue.isEmpty() ? "empty" : defaultValue;
  }

  /** Returns the help lines: the description, the default, and where else the value can come from. */
  List<String> helpLines() {
    List<String> lines = new ArrayList<>();
    lines.add(description);
    lines.add("Default: " + shownDefault());
    if (env != null && flag != null) {
      lines.add("Environment: " + env);
    }
    if (!etcdKeys.isEmpty()) {
      lines.add("etcd key: " + String.join(" or ", etcdKeys));
    }
    return lines;
  }
}
