package org.clusterdns.kube2sky.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusterdns.kube2sky.sync.WorkQueue.NO_EVENT;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clusterdns.kube2sky.sync.WorkQueue.Item;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private static final long NO_WAIT = 0;
  private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(5);
  private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));

  private final WorkQueue<String> queue = new WorkQueue<>(BACKOFF);

  @Test
  void tenAddsOfOneKeyAreProcessedOnceWithTheEarliestEventTime() throws InterruptedException {
    for (int event = 10; event >= 1; event--) {
      queue.add("web", event * 100L);
    }
    queue.add("web", NO_EVENT);
    assertThat(queue.depth()).isEqualTo(1);

    assertThat(queue.poll(NO_WAIT)).contains(new Item<>("web", 100L, 0));
    queue.done("web");

    assertThat(queue.poll(NO_WAIT)).isEmpty();
    assertThat(queue.depth()).isZero();
  }

  @Test
  void keysComeOutInArrivalOrder() throws InterruptedException {
    queue.add("b", NO_EVENT);
    queue.add("a", NO_EVENT);
    queue.add("b", NO_EVENT);

    assertThat(queue.poll(NO_WAIT).map(Item::key)).contains("b");
    assertThat(queue.poll(NO_WAIT).map(Item::key)).contains("a");
  }

  @Test
  void keyAddedWhileProcessedIsProcessedAgainAfterwardsNotConcurrently() throws InterruptedException {
    queue.add("web", 5);
    Item<String> first = queue.poll(NO_WAIT).orElseThrow();

    queue.add("web", 7);
    queue.add("web", 6);
    assertThat(queue.poll(NO_WAIT)).isEmpty();
    assertThat(queue.depth()).isEqualTo(1);
    queue.done(first.key());

    assertThat(queue.poll(NO_WAIT)).contains(new Item<>("web", 6L, 0));
  }

  @Test
  void failedKeyComesBackAfterItsBackoffWithItsEventTimeAndFailureCount() throws InterruptedException {
    queue.add("web", 42);
    Item<String> item = queue.poll(NO_WAIT).orElseThrow();
    long failedAt = System.nanoTime();

    assertThat(queue.failed(item)).isEqualTo(BACKOFF.delayNanos(1));
    assertThat(queue.depth()).isEqualTo(1);

    Optional<Item<String>> retried = queue.poll(LONG_WAIT);
    assertThat(System.nanoTime() - failedAt).isGreaterThanOrEqualTo(BACKOFF.delayNanos(1));
    assertThat(retried).contains(new Item<>("web", 42L, 1));
    assertThat(queue.failed(retried.get())).isEqualTo(BACKOFF.delayNanos(2));
  }

  @Test
  void failedKeyWaitsOutItsBackoff() throws InterruptedException {
    // A backoff far longer than any scheduling delay, so "not yet due" cannot be a matter of luck.
    WorkQueue<String> slow = new WorkQueue<>(new Backoff(Duration.ofMinutes(1), Duration.ofMinutes(1)));
    slow.add("web", 42);
    slow.failed(slow.poll(NO_WAIT).orElseThrow());

    assertThat(slow.poll(NO_WAIT)).isEmpty();
    assertThat(slow.poll(TimeUnit.MILLISECONDS.toNanos(200))).isEmpty();
    assertThat(slow.depth()).isEqualTo(1);
    slow.retryNow();
    assertThat(slow.poll(NO_WAIT)).contains(new Item<>("web", 42L, 1));
  }

  @Test
  void successResetsTheFailureCount() throws InterruptedException {
    queue.add("web", NO_EVENT);
    queue.failed(queue.poll(NO_WAIT).orElseThrow());
    queue.done(queue.poll(LONG_WAIT).orElseThrow().key());

    queue.add("web", NO_EVENT);
    assertThat(queue.poll(NO_WAIT).map(Item::failures)).contains(0);
  }

  @Test
  void newEventEndsTheBackoffAtOnce() throws InterruptedException {
    queue.add("web", 42);
    queue.failed(queue.poll(NO_WAIT).orElseThrow());

    queue.add("web", 50);

    assertThat(queue.poll(NO_WAIT)).contains(new Item<>("web", 42L, 1));
    queue.done("web");
    // The backoff's timer entry is stale now and must not bring the key back.
    assertThat(queue.poll(BACKOFF.delayNanos(1) * 2)).isEmpty();
  }

  @Test
  void keyAddedWhileProcessedThatThenFailsIsDueAtOnce() throws InterruptedException {
    queue.add("web", 42);
    Item<String> item = queue.poll(NO_WAIT).orElseThrow();
    queue.add("web", 50);

    queue.failed(item);

    assertThat(queue.poll(NO_WAIT)).contains(new Item<>("web", 42L, 1));
  }

  @Test
  void retryNowEndsEveryBackoff() throws InterruptedException {
    queue.add("web", 1);
    queue.failed(queue.poll(NO_WAIT).orElseThrow());

    queue.retryNow();

    assertThat(queue.poll(NO_WAIT).map(Item::key)).contains("web");
  }

  @Test
  void drainTakesEveryPendingKeyButNotTheOneInProgress() throws InterruptedException {
    queue.add("busy", 1);
    queue.poll(NO_WAIT).orElseThrow();
    queue.add("a", 2);
    queue.add("b", NO_EVENT);
    queue.failed(queue.poll(NO_WAIT).orElseThrow());

    Map<String, Long> drained = queue.drain();

    assertThat(drained).containsExactlyInAnyOrderEntriesOf(Map.of("a", 2L, "b", NO_EVENT));
    assertThat(queue.depth()).isZero();
  }

  @Test
  void wakeEndsAWaitingPoll() throws Exception {
    CompletableFuture<Optional<Item<String>>> poll = CompletableFuture.supplyAsync(() -> {
      try {
        return queue.poll(TimeUnit.MINUTES.toNanos(1));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    queue.wake();

    assertThat(poll.get(5, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void addEndsAWaitingPoll() throws Exception {
    CompletableFuture<Optional<Item<String>>> poll = CompletableFuture.supplyAsync(() -> {
      try {
        return queue.poll(TimeUnit.MINUTES.toNanos(1));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    queue.add("web", 3);

    assertThat(poll.get(5, TimeUnit.SECONDS)).contains(new Item<>("web", 3L, 0));
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    Backoff backoff = Backoff.DEFAULT;
    assertThat(backoff.delayNanos(1)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(backoff.delayNanos(2)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(backoff.delayNanos(9)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(25_600));
    assertThat(backoff.delayNanos(10)).isEqualTo(TimeUnit.SECONDS.toNanos(30));
    assertThat(backoff.delayNanos(Integer.MAX_VALUE)).isEqualTo(TimeUnit.SECONDS.toNanos(30));
  }
}
