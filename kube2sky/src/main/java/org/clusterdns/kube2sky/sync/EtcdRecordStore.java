package org.clusterdns.kube2sky.sync;

import static org.clusterdns.etcd.EtcdClients.bytes;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.clusterdns.etcd.EtcdClients;

/**
 * A {@link RecordStore} on etcd v3: reads and writes are transactions, each bounded by the
 * request timeout.
 *
 * <p>etcd refuses a transaction with more operations than its {@code --max-txn-ops} (128 by
 * default) and one that touches a key twice. So changes are packed into transactions of at most
 * {@code maxTxnOps} operations: a change that fits is never split and shares a transaction with
 * the changes before it while they fit together; a larger change is split, all of its puts going
 * before its deletes, so the names it keeps never disappear. Reads of more ranges than that are
 * split the same way, with a few transactions in flight at once; each range is read atomically.
 * A {@link #scan} is one range request with etcd's {@code limit}.
 */
public final class EtcdRecordStore implements RecordStore {
  /** etcd's default {@code --max-txn-ops}. */
  public static final int DEFAULT_MAX_TXN_OPS = 128;
  /** Read transactions of one {@link #read} sent before the first answer is awaited. */
  private static final int READS_IN_FLIGHT = 8;

  private final KV kv;
  private final Duration timeout;
  private final int maxTxnOps;

  /**
   * Creates a store on {@code client}, which the caller keeps and closes.
   *
   * @param timeout the bound on each transaction
   * @param maxTxnOps the most operations in one transaction: etcd's {@code --max-txn-ops}
   */
  public EtcdRecordStore(Client client, Duration timeout, int maxTxnOps) {
    this.kv = client.getKVClient();
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (maxTxnOps < 1) {
      throw new IllegalArgumentException("maxTxnOps must be positive: " + maxTxnOps);
    }
    this.maxTxnOps = maxTxnOps;
  }

  /** Creates a store on {@code client} for an etcd with the default {@code --max-txn-ops}. */
  public EtcdRecordStore(Client client, Duration timeout) {
    this(client, timeout, DEFAULT_MAX_TXN_OPS);
  }

  @Override
  public Snapshot read(Collection<String> ranges) {
    List<String> all = List.copyOf(ranges);
    List<List<String>> chunks = new ArrayList<>();
    int start = 0;
    do {
      chunks.add(all.subList(start, Math.min(all.size(), start + maxTxnOps)));
      start += maxTxnOps;
    } while (start < all.size());
    // Several transactions in flight: a full reconcile reads a batch of Services in dozens of
    // them, and waiting for each round trip in turn would make etcd's latency add up.
    Map<String, String> values = new HashMap<>();
    long revision = Long.MAX_VALUE;
    ArrayDeque<Map.Entry<List<String>, CompletableFuture<TxnResponse>>> inFlight = new ArrayDeque<>();
    int next = 0;
    try {
      while (next < chunks.size() || !inFlight.isEmpty()) {
        while (next < chunks.size() && inFlight.size() < READS_IN_FLIGHT) {
          List<String> chunk = chunks.get(next++);
          Op[] ops = chunk.stream().map(EtcdRecordStore::get).toArray(Op[]::new);
          inFlight.add(Map.entry(chunk, kv.txn().Then(ops).commit()));
        }
        Map.Entry<List<String>, CompletableFuture<TxnResponse>> oldest = inFlight.remove();
        TxnResponse response = await(oldest.getValue(), "reading " + describe(oldest.getKey()));
        for (GetResponse get : response.getGetResponses()) {
          for (KeyValue kv : get.getKvs()) {
            values.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
          }
        }
        revision = Math.min(revision, response.getHeader().getRevision());
      }
    } finally {
      inFlight.forEach(pending -> pending.getValue().cancel(true));
    }
    return new Snapshot(values, revision);
  }

  @Override
  public Page scan(String directory, String from, int limit) {
    // No sort option: etcd returns a range in key order by itself, and a sort order would make it
    // sort the whole rest of the range for every page.
    GetOption page = GetOption.builder().withPrefix(bytes(directory)).withLimit(limit).withKeysOnly(true).build();
    GetResponse response = await(kv.get(bytes(from), page), "reading " + limit + " keys under " + directory);
    TreeSet<String> keys = new TreeSet<>();
    for (KeyValue kv : response.getKvs()) {
      keys.add(kv.getKey().toString(StandardCharsets.UTF_8));
    }
    return new Page(keys, response.getHeader().getRevision(), response.isMore());
  }

  @Override
  public long commit(List<Change> changes) {
    long[] revision = {Long.MAX_VALUE};
    // Each transaction is sent as soon as it is packed, so that the encoded operations of a full
    // reconcile (hundreds of thousands at 100,000 Services) are never all in memory at once.
    pack(changes, txn -> {
      TxnResponse response = await(kv.txn().Then(txn.toArray(Op[]::new)).commit(),
          "writing " + txn.size() + " keys");
      revision[0] = Math.min(revision[0], response.getHeader().getRevision());
    });
    return revision[0] == Long.MAX_VALUE ? read(List.of()).revision() : revision[0];
  }

  /** Groups the changes' operations into transactions as the class comment describes, in order. */
  private void pack(List<Change> changes, Consumer<List<Op>> txns) {
    List<Op> current = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (Change change : changes) {
      boolean fits = current.size() + change.size() <= maxTxnOps
          && change.puts().keySet().stream().noneMatch(keys::contains)
          && change.deletes().stream().noneMatch(keys::contains);
      if (!fits && !current.isEmpty()) {
        txns.accept(current);
        current = new ArrayList<>();
        keys.clear();
      }
      // Puts first: when a large change is split, no kept name is ever missing in between.
      List<Map.Entry<String, Op>> ops = new ArrayList<>();
      change.puts().forEach((key, value) ->
          ops.add(Map.entry(key, Op.put(bytes(key), bytes(value), PutOption.DEFAULT))));
      change.deletes().forEach(key -> ops.add(Map.entry(key, Op.delete(bytes(key), DeleteOption.DEFAULT))));
      for (Map.Entry<String, Op> op : ops) {
        if (current.size() == maxTxnOps || keys.contains(op.getKey())) {
          txns.accept(current);
          current = new ArrayList<>();
          keys.clear();
        }
        current.add(op.getValue());
        keys.add(op.getKey());
      }
    }
    if (!current.isEmpty()) {
      txns.accept(current);
    }
  }

  private static Op get(String range) {
    ByteSequence key = bytes(range);
    return Op.get(key, range.endsWith("/") ? GetOption.builder().isPrefix(true).build() : GetOption.DEFAULT);
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new RecordStoreException("etcd did not answer " + what + " within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new RecordStoreException(what + " in etcd failed: " + EtcdClients.describe(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RecordStoreException("interrupted while " + what + " in etcd", e);
    }
  }

  private static String describe(List<String> ranges) {
    return ranges.isEmpty() ? "the revision" : ranges.size() == 1 ? ranges.get(0) : ranges.size() + " ranges";
  }
}
