package org.clusterdns.kube2sky.sync;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

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
  /** Runs before each commit: lets a test hold a write back. */
  volatile Runnable beforeCommit = () -> { };
  /** Runs after each read, before it returns: lets a test hold a read's answer back. */
  volatile Consumer<Snapshot> afterRead = snapshot -> { };
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile boolean down;

  /**
   * Makes the next {@code count} calls fail, not counting the synchroniser's probe, whose reads
   * run on their own schedule and would take failures meant for the call under test.
   */
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
    Snapshot snapshot = memory.read(ranges);
    afterRead.accept(snapshot);
    return snapshot;
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
    beforeCommit.run();
    check();
    commits.add(List.copyOf(changes));
    return memory.commit(changes);
  }

  private void check() {
    if (down) {
      throw new RecordStoreException("etcd is down (test)", null);
    }
    if (!Thread.currentThread().getName().equals(Synchronizer.PROBE_THREAD)
        && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new RecordStoreException("etcd is down (test)", null);
    }
  }
}
