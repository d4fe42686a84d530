package org.clusterdns.skydns.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What shapes authoritative answers.
 *
 * @param domain the zone served, lower-case and absolute ({@code skydns.local.})
 * @param hostmaster the SOA RNAME, absolute ({@code hostmaster.skydns.local.})
 * @param defaultTtl TTL of records without their own, and of the SOA as an answer (3600)
 * @param minTtl TTL of the SOA in negative answers and its MINIMUM field (60)
 * @param defaultPriority SRV priority / MX preference of records that set none (10)
 * @param local the name {@code local.dns.<domain>} stands for, absolute, if configured
 * @param roundRobin whether address answers are shuffled
 * @param wildcards whether {@code *} and {@code any} labels act as wildcards in queries
 */
public record AnswerConfig(
    String domain,
    String hostmaster,
    long defaultTtl,
    long minTtl,
    int defaultPriority,
    Optional<String> local,
    boolean roundRobin,
    boolean wildcards) {

  /** The domain SkyDNS serves unless told otherwise. */
  public static final String DEFAULT_DOMAIN = "skydns.local.";

  /** Normalises the names: domain lower-case and absolute, hostmaster and local absolute. */
  public AnswerConfig {
    domain = absolute(Objects.requireNonNull(domain, "domain").toLowerCase(Locale.ROOT));
    hostmaster = absolute(Objects.requireNonNull(hostmaster, "hostmaster").replace('@', '.'));
    local = Objects.requireNonNull(local, "local").map(AnswerConfig::absolute);
  }

  /** Returns SkyDNS's defaults for {@code domain}. */
  public static AnswerConfig defaults(String domain) {
    String normalised = absolute(domain.toLowerCase(Locale.ROOT));
    return new AnswerConfig(normalised, "hostmaster." + normalised, 3600, 60, 10, Optional.empty(), true, true);
  }

  /** Returns the name of the name-server records, {@code ns.dns.<domain>}. */
  public String nsName() {
    return "ns.dns." + domain;
  }

  /** Returns the host-local name, {@code local.dns.<domain>}. */
  public String localName() {
    return "local.dns." + domain;
  }

  /** Returns the stub-zone directory name, {@code stub.dns.<domain>}. */
  public String stubName() {
    return "stub.dns." + domain;
  }

  /** Returns a copy with round robin switched as given (tests switch it off for stable order). */
  public AnswerConfig withRoundRobin(boolean enabled) {
    return new AnswerConfig(domain, hostmaster, defaultTtl, minTtl, defaultPriority, local, enabled, wildcards);
  }

  /** Returns a copy with the host-local name set. */
  public AnswerConfig withLocal(String name) {
    return new AnswerConfig(domain, hostmaster, defaultTtl, minTtl, defaultPriority, Optional.of(name), roundRobin, wildcards);
  }

  /** Returns a copy with wildcard queries switched as given. */
  public AnswerConfig withWildcards(boolean enabled) {
    return new AnswerConfig(domain, hostmaster, defaultTtl, minTtl, defaultPriority, local, roundRobin, enabled);
  }

  static String absolute(String name) {
    return name.endsWith(".") ? name : name + ".";
  }
}
