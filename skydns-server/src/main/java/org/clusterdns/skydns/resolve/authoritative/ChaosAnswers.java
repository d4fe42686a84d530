package org.clusterdns.skydns.resolve.authoritative;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * CHAOS-class TXT answers about the server itself (spec 8.10): {@code version.bind.} and
 * {@code version.server.} give the implementation version, {@code hostname.bind.} and
 * {@code id.server.} the host name, {@code authors.bind.} the authors. Anything else in class
 * CHAOS has no answer (the resolver refuses it).
 */
final class ChaosAnswers {
  /** What version questions are answered with when the jar carries no version. */
  static final String NAME = "clusterdns";
  static final String AUTHORS = "the clusterdns authors";

  private final String version;
  private final String hostname;

  ChaosAnswers(String version, String hostname) {
    this.version = version;
    this.hostname = hostname;
  }

  /** Returns the answer for a CHAOS question, or empty when there is none. */
  Optional<List<Record>> answer(Name qname, int qtype) {
    if (qtype != Type.TXT) {
      return Optional.empty();
    }
    String text;
    switch (qname.toString().toLowerCase(Locale.ROOT)) {
      case "version.bind.", "version.server." -> text = version;
      case "hostname.bind.", "id.server." -> text = hostname;
      case "authors.bind." -> text = AUTHORS;
      default -> {
        return Optional.empty();
      }
    }
    return Optional.of(List.of(Record.newRecord(qname, Type.TXT, DClass.CH, 0, RecordMaker.txtRdata(text))));
  }

  /** Returns the version the running jar declares, {@code clusterdns <version>}, or {@code clusterdns}. */
  static String implementationVersion() {
    String version = ChaosAnswers.class.getPackage().getImplementationVersion();
    return version == null ? NAME : NAME + " " + version;
  }

  /**
   * Returns this host's name from the environment (Kubernetes sets {@code HOSTNAME} to the pod
   * name), or {@code localhost}; never asks a resolver, which could block.
   */
  static String localHostname() {
    String hostname = System.getenv("HOSTNAME");
    return hostname == null || hostname.isBlank() ? "localhost" : hostname;
  }
}
