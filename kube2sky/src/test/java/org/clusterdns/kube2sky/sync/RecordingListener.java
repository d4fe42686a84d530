package org.clusterdns.kube2sky.sync;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterdns.kube2sky.watch.ServiceKey;

/** A {@link SyncListener} that records every call. */
final class RecordingListener implements SyncListener {
  /** One {@link #reconciled} call. */
  record Reconciled(ServiceKey key, int puts, int deletes, long latencyNanos) {}

  final List<Reconciled> reconciled = new CopyOnWriteArrayList<>();
  final List<ServiceKey> failed = new CopyOnWriteArrayList<>();
  final AtomicInteger fullReconciles = new AtomicInteger();
  final AtomicInteger dataLosses = new AtomicInteger();

  @Override
  public void reconciled(ServiceKey key, int puts, int deletes, long latencyNanos) {
    reconciled.add(new Reconciled(key, puts, deletes, latencyNanos));
  }

  @Override
  public void reconcileFailed(ServiceKey key, Throwable error) {
    failed.add(key);
  }

  @Override
  public void fullReconcileDone(int services, int puts, int deletes, long durationNanos) {
    fullReconciles.incrementAndGet();
  }

  @Override
  public void etcdDataLost() {
    dataLosses.incrementAndGet();
  }

  List<Reconciled> of(ServiceKey key) {
    return reconciled.stream().filter(call -> call.key().equals(key)).toList();
  }
}
