package org.clusterdns.kube2sky.records;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.clusterdns.records.ServiceRecord;

/**
 * Collects labelled leaves and lays them out as etcd keys, so that one label can stand for several
 * values.
 *
 * <p>A label with one value becomes the leaf {@code <parent>/<label>}. A label with several
 * distinct values (a hostname with an IPv4 and an IPv6 address, two 32-bit hash labels that
 * collide) becomes a directory: {@code <parent>/<label>/<64-bit hash of each value>}. SkyDNS
 * answers a name with every leaf below it, so {@code <label>.<parent name>} still answers all the
 * values. Equal values under one label collapse into one leaf.
 */
final class LeafSet {
  private final Map<String, TreeMap<String, ServiceRecord>> byLabel = new HashMap<>();

  /** Adds {@code value} under {@code parent/label}. */
  void add(String parent, String label, ServiceRecord value) {
    add(parent, label, value.toJson(), value);
  }

  /** Adds {@code value} under {@code parent}, labelled by the hash of its JSON form. */
  void addHashed(String parent, ServiceRecord value) {
    String json = value.toJson();
    add(parent, hashLabel(json), json, value);
  }

  private void add(String parent, String label, String json, ServiceRecord value) {
    byLabel.computeIfAbsent(parent + "/" + label, key -> new TreeMap<>()).put(json, value);
  }

  /** Writes every leaf into {@code leaves}. */
  void writeTo(Map<String, ServiceRecord> leaves) {
    for (Map.Entry<String, TreeMap<String, ServiceRecord>> label : byLabel.entrySet()) {
      TreeMap<String, ServiceRecord> values = label.getValue();
      if (values.size() == 1) {
        leaves.put(label.getKey(), values.firstEntry().getValue());
        continue;
      }
      // The values of one label are few and distinct, so 64 bits keep their keys apart where 32
      // bits (the label itself may be a colliding 32-bit hash) might not.
      for (Map.Entry<String, ServiceRecord> value : values.entrySet()) {
        leaves.put(label.getKey() + "/" + subLabel(value.getKey()), value.getValue());
      }
    }
  }

  /**
   * Returns the label kube2sky gives a value: the 32-bit FNV-1a hash of its UTF-8 bytes in
   * lower-case hexadecimal without leading zeros, as Go's {@code fmt.Sprintf("%x")} wrote it.
   */
  static String hashLabel(String json) {
    int hash = 0x811c9dc5;
    for (byte b : json.getBytes(UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return Integer.toHexString(hash);
  }

  /** Returns the label of one of several values under a label: FNV-1a 64 of the JSON, lower hex. */
  static String subLabel(String json) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : json.getBytes(UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return Long.toHexString(hash);
  }
}
