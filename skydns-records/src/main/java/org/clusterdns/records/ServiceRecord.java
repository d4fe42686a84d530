package org.clusterdns.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The JSON value stored at one etcd leaf: one service, as SkyDNS 2 defines it.
 *
 * <p>Every member is optional; unknown members are ignored and member names match
 * case-insensitively, as Go's {@code encoding/json} does, so values written by the original
 * tooling read unchanged. {@link #toJson()} writes only the members that differ from their
 * defaults, in a fixed order, so equal records always serialise to equal bytes (kube2sky relies on
 * that to skip unchanged writes).
 *
 * @param host an IPv4 or IPv6 literal, or a domain name (relative names are made absolute when
 *     used); never null, empty when absent
 * @param port the SRV port
 * @param priority the SRV priority and MX preference; 0 means "the server's default"
 * @param weight the relative SRV weight inside one priority; 0 counts as 100
 * @param text the TXT payload; empty means no TXT record
 * @param mail whether the service is also an MX target
 * @param ttl the record's TTL in seconds (unsigned 32 bit); 0 means "not set"
 * @param targetStrip how many leftmost labels to remove from synthesised SRV/MX targets
 * @param group the grouping tag limiting which services are returned together; empty for none
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record ServiceRecord(
    @JsonProperty("host") String host,
    @JsonProperty("port") int port,
    @JsonProperty("priority") int priority,
    @JsonProperty("weight") int weight,
    @JsonProperty("text") String text,
    @JsonProperty("mail") boolean mail,
    @JsonProperty("ttl") long ttl,
    @JsonProperty("targetstrip") int targetStrip,
    @JsonProperty("group") String group) {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Go's decoder refuses a number or boolean where a string belongs; so do we.
          .withCoercionConfig(LogicalType.Textual, config -> config
              .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .build();

  /** Normalises absent strings to empty and checks the unsigned TTL range. */
  public ServiceRecord {
    host = host == null ? "" : host;
    text = text == null ? "" : text;
    group = group == null ? "" : group;
    if (ttl < 0 || ttl > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("ttl out of range 0..4294967295: " + ttl);
    }
  }

  /** Returns a record with only a host set, the common case for address records. */
  public static ServiceRecord ofHost(String host) {
    return new ServiceRecord(host, 0, 0, 0, "", false, 0, 0, "");
  }

  /**
   * Parses the JSON value of one etcd leaf.
   *
   * @throws MalformedRecordException when the value is not a JSON object of the expected shape
   */
  public static ServiceRecord fromJson(byte[] json) throws MalformedRecordException {
    Objects.requireNonNull(json, "json");
    try {
      ServiceRecord record = MAPPER.readValue(json, ServiceRecord.class);
      if (record == null) {
        throw new MalformedRecordException("value is JSON null");
      }
      return record;
    } catch (JsonProcessingException e) {
      throw new MalformedRecordException(e.getOriginalMessage(), e);
    } catch (IOException | IllegalArgumentException e) {
      throw new MalformedRecordException(e.getMessage(), e);
    }
  }

  /** Serialises to the minimal, stable JSON form: default members are left out. */
  public String toJson() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a ServiceRecord always serialises", e);
    }
  }

  /**
   * Returns the host as an address when it is an IPv4 or IPv6 literal. An IPv4-mapped IPv6 literal
   * ({@code ::ffff:a.b.c.d}) yields the IPv4 address, as in SkyDNS.
   */
  public Optional<InetAddress> address() {
    return IpLiterals.parse(host);
  }

  /** Returns the host as an absolute domain name (a trailing dot added when missing). */
  public String hostAsName() {
    return host.endsWith(".") ? host : host + ".";
  }
}
