package org.clusterdns.skydns.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Rcode;

/** A {@link TransportEvents} that remembers what it was told, for assertions. */
final class RecordingEvents implements TransportEvents {
  final List<String> dropped = new CopyOnWriteArrayList<>();
  final List<String> rejected = new CopyOnWriteArrayList<>();
  final List<Integer> sentBytes = new CopyOnWriteArrayList<>();
  final List<Integer> cachedBytes = new CopyOnWriteArrayList<>();
  final AtomicInteger truncated = new AtomicInteger();
  final AtomicInteger refusedConnections = new AtomicInteger();

  @Override
  public void queryDropped(String reason) {
    dropped.add(reason);
  }

  @Override
  public void queryRejected(int rcode) {
    rejected.add(Rcode.string(rcode));
  }

  @Override
  public void replySent(org.xbill.DNS.Message reply, int bytes, boolean wasTruncated, boolean tcp) {
    sentBytes.add(bytes);
    if (wasTruncated) {
      truncated.incrementAndGet();
    }
  }

  @Override
  public void cachedReplySent(int bytes, int rcode, boolean tcp, long elapsedNanos) {
    cachedBytes.add(bytes);
  }

  @Override
  public void tcpConnectionRefused() {
    refusedConnections.incrementAndGet();
  }
}
