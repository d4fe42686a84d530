package org.clusterdns.skydns.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.clusterdns.process.flags.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the JSON object stored at {@code /<prefix>/config} on top of the flag and environment
 * values, as SkyDNS does: every key present overrides, absent keys (and {@code null} values)
 * leave the value alone, keys match case-insensitively, and later duplicates win.
 */
final class EtcdConfigObject {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdConfigObject.class);
  // Go's decoder refuses trailing data after the object; so do we.
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final long UINT16_MAX = 0xFFFFL;
  private static final long UINT32_MAX = 0xFFFF_FFFFL;

  private final String configKey;

  private EtcdConfigObject(String configKey) {
    this.configKey = configKey;
  }

  /**
   * Returns a copy of {@code base} with the values of {@code json} applied.
   *
   * @param configKey the etcd key the object came from, for messages
   * @throws ConfigException when the bytes are not a JSON object or a value has the wrong type or range
   */
  static Settings apply(byte[] json, String configKey, Settings base) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ConfigException("etcd " + configKey + ": not valid JSON: " + e.getOriginalMessage());
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("etcd " + configKey + ": not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("etcd " + configKey + ": not a JSON object");
    }
    Settings settings = base.copy();
    EtcdConfigObject object = new EtcdConfigObject(configKey);
    List<String> applied = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (!field.getValue().isNull() && object.applyKey(field.getKey(), field.getValue(), settings)) {
        applied.add(field.getKey());
      }
    }
    LOG.info("Applied etcd {} over flags and environment: {}", configKey, applied.isEmpty() ? "no keys" : applied);
    return settings;
  }

  /** Applies one key; returns false when the key is ignored. */
  private boolean applyKey(String key, JsonNode value, Settings settings) {
    String source = "etcd " + configKey + " key '" + key + "'";
    switch (key.toLowerCase(Locale.ROOT)) {
      case "dns_addr":
        String addr = text(source, value);
        settings.addr = addr.isEmpty()
            ? Parsers.hostPort(source, Setting.ADDR.defaultValue(), 1)
            : Parsers.hostPort(source, addr, 1);
        break;
      case "systemd":
        settings.systemd = bool(source, value);
        break;
      case "domain":
        settings.domain = Parsers.name(source, text(source, value));
        break;
      case "local":
        settings.local = Parsers.name(source, text(source, value));
        break;
      case "hostmaster":
        settings.hostmaster = Parsers.hostmaster(source, text(source, value));
        break;
      case "dnssec":
        settings.dnssec = Parsers.dnssecKey(source, text(source, value));
        break;
      case "round_robin":
        settings.roundRobin = bool(source, value);
        break;
      case "ns_rotate":
        settings.nsRotate = bool(source, value);
        break;
      case "nameservers":
        settings.nameservers = nameservers(source, value);
        break;
      case "no_rec":
        settings.noRec = bool(source, value);
        break;
      case "read_timeout":
        settings.readTimeout = duration(source, value);
        break;
      case "priority":
        settings.priority = integer(source, value, 0, UINT16_MAX);
        break;
      case "ttl":
        settings.ttl = integer(source, value, 0, UINT32_MAX);
        break;
      case "min_ttl":
        settings.minTtl = integer(source, value, 0, UINT32_MAX);
        break;
      case "scache":
        settings.signatureCacheSize = integer(source, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
        break;
      case "rcache":
        settings.responseCacheSize = integer(source, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
        break;
      case "rcache_ttl":
        settings.responseCacheTtl = integer(source, value, 0, Integer.MAX_VALUE);
        break;
      case "ndot":
      case "ndots":
        settings.ndots = integer(source, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
        break;
      case "wildcards":
        settings.wildcards = bool(source, value);
        break;
      case "etcd3":
      case "version":
        // Meaningful only as flags; SkyDNS broke when etcd3 came from here (spec 19.14).
        LOG.info("Ignored key '{}' in etcd {}: it only has a meaning as a flag", key, configKey);
        return false;
      default:
        LOG.warn("Ignored unknown key '{}' in etcd {}", key, configKey);
        return false;
    }
    return true;
  }

  private static String text(String source, JsonNode value) {
    if (!value.isTextual()) {
      throw ConfigException.invalid(source, value.toString(), "expected a JSON string");
    }
    return value.textValue();
  }

  private static boolean bool(String source, JsonNode value) {
    if (!value.isBoolean()) {
      throw ConfigException.invalid(source, value.toString(), "expected true or false");
    }
    return value.booleanValue();
  }

  private static long integer(String source, JsonNode value, long min, long max) {
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw ConfigException.invalid(source, value.toString(), "expected an integer from " + min + " to " + max);
    }
    return Parsers.inRange(source, value.toString(), value.longValue(), min, max);
  }

  /** Reads integer nanoseconds (SkyDNS's encoding of a Go duration) or a Go duration string such as "2s". */
  private static Duration duration(String source, JsonNode value) {
    if (value.isTextual()) {
      return Parsers.duration(source, value.textValue());
    }
    return Duration.ofNanos(integer(source, value, 0, Long.MAX_VALUE));
  }

  private static List<InetSocketAddress> nameservers(String source, JsonNode value) {
    if (!value.isArray()) {
      throw ConfigException.invalid(source, value.toString(), "expected an array of \"ip:port\" strings");
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (JsonNode item : value) {
      servers.add(Parsers.hostPort(source, text(source, item), 1));
    }
    return List.copyOf(servers);
  }
}
