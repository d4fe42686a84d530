package org.clusterdns.kube2sky.sync;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A coalescing queue of keys to process, for one worker.
 *
 * <p>A key is pending at most once: adding a pending key again only keeps the earliest event
 * time. A key being processed that is added again is processed again once the worker is done
 * with it, never twice at the same time. A key whose processing failed comes back after an
 * exponential backoff, unless it is added again meanwhile (a new event makes it due at once).
 *
 * @param <K> the key type
 * @implNote Thread-safe: any thread adds, one worker polls.
 */
final class WorkQueue<K> {
  /** The event time of work that no API event caused (a resync). */
  static final long NO_EVENT = -1;

  /**
   * A key handed to the worker.
   *
   * @param key the key
   * @param eventNanos the {@link System#nanoTime()} of the earliest event that queued it, or {@link #NO_EVENT}
   * @param failures how many times in a row its processing has failed
   */
  record Item<K>(K key, long eventNanos, int failures) {}

  private record Delayed<K>(K key, long dueNanos) {}

  private record Waiting(long eventNanos, long dueNanos) {}

  private final Backoff backoff;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** Keys due now, in arrival order, with their earliest event time. */
  private final LinkedHashMap<K, Long> ready = new LinkedHashMap<>();
  /** Keys waiting out a backoff; {@link #delays} orders them by due time. */
  private final Map<K, Waiting> waiting = new HashMap<>();
  private final PriorityQueue<Delayed<K>> delays =
      new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos(), b.dueNanos()));
  private final Set<K> processing = new HashSet<>();
  /** Keys added while being processed, with their earliest event time. */
  private final Map<K, Long> again = new HashMap<>();
  private final Map<K, Integer> failures = new HashMap<>();
  private boolean woken;

  WorkQueue(Backoff backoff) {
    this.backoff = backoff;
  }

  /** Queues {@code key}, caused by an event at {@code eventNanos} ({@link #NO_EVENT} for none). */
  void add(K key, long eventNanos) {
    lock.lock();
    try {
      if (processing.contains(key)) {
        again.merge(key, eventNanos, WorkQueue::earliest);
        return;
      }
      Waiting waited = waiting.remove(key);
      if (waited != null) {
        eventNanos = earliest(waited.eventNanos(), eventNanos);
      }
      ready.merge(key, eventNanos, WorkQueue::earliest);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the next due key, waiting at most {@code timeoutNanos}; the caller must then call
   * {@link #done} or {@link #failed} with it.
   *
   * @return the key, or empty when the time ran out or {@link #wake()} was called
   */
  Optional<Item<K>> poll(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    lock.lock();
    try {
      while (true) {
        long now = System.nanoTime();
        promoteDue(now);
        if (!ready.isEmpty()) {
          Map.Entry<K, Long> first = ready.entrySet().iterator().next();
          ready.remove(first.getKey());
          processing.add(first.getKey());
          return Optional.of(new Item<>(first.getKey(), first.getValue(), failures.getOrDefault(first.getKey(), 0)));
        }
        if (woken || now - deadline >= 0) {
          woken = false;
          return Optional.empty();
        }
        long wait = deadline - now;
        if (!delays.isEmpty()) {
          wait = Math.min(wait, delays.peek().dueNanos() - now);
        }
        changed.awaitNanos(Math.max(wait, 1));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Marks {@code key} processed successfully; it is queued again if it was added meanwhile. */
  void done(K key) {
    lock.lock();
    try {
      failures.remove(key);
      finish(key);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks the processing of {@code item} failed: the key comes back after the backoff for its
   * consecutive failures, keeping its event time, or at once if it was added meanwhile.
   *
   * @return the backoff in nanoseconds
   */
  long failed(Item<K> item) {
    lock.lock();
    try {
      int count = failures.merge(item.key(), 1, Integer::sum);
      long delay = backoff.delayNanos(count);
      if (finish(item.key())) {
        ready.merge(item.key(), item.eventNanos(), WorkQueue::earliest);
      } else {
        long due = System.nanoTime() + delay;
        waiting.put(item.key(), new Waiting(item.eventNanos(), due));
        delays.add(new Delayed<>(item.key(), due));
        changed.signalAll();
      }
      return delay;
    } finally {
      lock.unlock();
    }
  }

  /** Makes every key that waits out a backoff due now: what they waited for is back. */
  void retryNow() {
    lock.lock();
    try {
      delays.clear();
      waiting.forEach((key, waited) -> ready.merge(key, waited.eventNanos(), WorkQueue::earliest));
      waiting.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes every pending key that is not being processed, and returns them with their event
   * times: the caller takes over their work (and adds them back if it fails).
   */
  Map<K, Long> drain() {
    lock.lock();
    try {
      Map<K, Long> drained = new HashMap<>();
      waiting.forEach((key, waited) -> drained.put(key, waited.eventNanos()));
      ready.forEach((key, event) -> drained.merge(key, event, WorkQueue::earliest));
      ready.clear();
      waiting.clear();
      delays.clear();
      failures.keySet().removeIf(key -> !processing.contains(key));
      return drained;
    } finally {
      lock.unlock();
    }
  }

  /** Makes the current or next {@link #poll} return at once, with a due key or empty. */
  void wake() {
    lock.lock();
    try {
      woken = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many keys are pending: due, waiting out a backoff, or added again while processed. */
  int depth() {
    lock.lock();
    try {
      return ready.size() + waiting.size() + again.size();
    } finally {
      lock.unlock();
    }
  }

  /** Ends the processing of {@code key}; returns whether it was added again meanwhile and is now due. */
  private boolean finish(K key) {
    processing.remove(key);
    Long event = again.remove(key);
    if (event == null) {
      return false;
    }
    ready.merge(key, event, WorkQueue::earliest);
    changed.signalAll();
    return true;
  }

  private void promoteDue(long now) {
    while (!delays.isEmpty() && delays.peek().dueNanos() - now <= 0) {
      Delayed<K> due = delays.poll();
      Waiting waited = waiting.get(due.key());
      // Entries of keys that were added again meanwhile, or failed again since, are stale.
      if (waited != null && waited.dueNanos() == due.dueNanos()) {
        waiting.remove(due.key());
        ready.merge(due.key(), waited.eventNanos(), WorkQueue::earliest);
      }
    }
  }

  /** Returns the earlier of two event times, where {@link #NO_EVENT} is later than any event. */
  private static long earliest(long a, long b) {
    if (a == NO_EVENT) {
      return b;
    }
    return b == NO_EVENT ? a : (a - b <= 0 ? a : b);
  }
}
