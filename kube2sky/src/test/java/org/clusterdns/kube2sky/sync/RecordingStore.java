package org.clusterdns.kube2sky.sync;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link InMemoryRecordStore} that records every commit and can be made to fail, as an etcd
 * that is down does.
 */
final class RecordingStore implements RecordStore {
  final InMemoryRecordStore memory = new InMemoryRecordStore();
  final List<List<Change>> commits = new CopyOnWriteArrayList<>();
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger scans = new AtomicInteger();
  /** Runs before each scan: lets a test change the world in the middle of a full reconcile. */
  volatile Runnable beforeScan = () -> { };
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile boolean down;

  /** Makes the next {@code count} calls fail. */
  void failNext(int count) {
    failuresLeft.set(count);
  }

  /** Makes every call fail until called with false. */
  void down(boolean value) {
    down = value;
  }

  @Override
  public Snapshot read(Collection<String> ranges) {
    reads.incrementAndGet();
    check();
    return memory.read(ranges);
  }

  @Override
  public Page scan(String directory, String from, int limit) {
    scans.incrementAndGet();
    beforeScan.run();
    check();
    return memory.scan(directory, from, limit);
  }

  @Override
  public long commit(List<Change> changes) {
    check();
    commits.add(List.copyOf(changes));
    return memory.commit(changes);
  }

  private void check() {
    if (down || failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new RecordStoreException("etcd is down (test)", null);
    }
  }
}
