package org.clusterdns.skydns.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.clusterdns.skydns.resolve.DnsRequest;
import org.clusterdns.skydns.resolve.Resolver;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/** Builds queries and canned replies for the transport tests. */
final class TestMessages {
  /** The address every canned A record points to. */
  static final String ADDRESS = "10.0.0.1";

  private TestMessages() {}

  /** Returns a query for {@code name}/{@code type} with RD set and ID 4242. */
  static Message query(String name, int type) {
    Message query = Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
    query.getHeader().setID(4242);
    return query;
  }

  /** Returns a query with an OPT advertising {@code payload} and DO as given. */
  static Message ednsQuery(String name, int type, int payload, boolean dnssecOk) {
    Message query = query(name, type);
    query.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    return query;
  }

  /** Returns the skeleton of an authoritative reply to the request's query. */
  static Message replyTo(DnsRequest request) {
    Message reply = new Message(request.query().getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.AA);
    if (request.query().getHeader().getFlag(Flags.RD)) {
      reply.getHeader().setFlag(Flags.RD);
    }
    reply.addRecord(request.question(), Section.QUESTION);
    return reply;
  }

  /** Returns a reply holding {@code count} A records for the question name. */
  static Message addressReply(DnsRequest request, int count) {
    Message reply = replyTo(request);
    for (int i = 0; i < count; i++) {
      reply.addRecord(a(request.qname(), 10, 0, i / 256, i % 256), Section.ANSWER);
    }
    return reply;
  }

  /** Returns a chain answering every query with one A record {@value #ADDRESS}. */
  static Resolver.Next oneAddress() {
    return request -> CompletableFuture.completedFuture(addressReply(request, 1));
  }

  /** Returns an A record. */
  static ARecord a(Name owner, int... octets) {
    try {
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        bytes[i] = (byte) octets[i];
      }
      return new ARecord(owner, DClass.IN, 30, InetAddress.getByAddress(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a reply, failing the test on malformed bytes. */
  static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (IOException e) {
      throw new AssertionError("reply does not parse", e);
    }
  }

  /** Returns an absolute name. */
  static Name name(String name) {
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
