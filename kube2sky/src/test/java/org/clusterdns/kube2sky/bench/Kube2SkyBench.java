package org.clusterdns.kube2sky.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The kube2sky benchmark of issue 3, run by {@code scripts/bench kube2sky}: fills a mock API server
 * with Services, starts kube2sky as a process of its own against it and an etcd, and measures
 *
 * <ol>
 *   <li>the first complete sync: from starting kube2sky's JVM to {@code /readyz} answering 200,
 *       checked by counting the keys in etcd, and the etcd transactions it took;
 *   <li>kube2sky's memory: resident set (current and peak) and heap, at the sync and at the end;
 *   <li>the Services still queued at ready, which kube2sky then reconciles one by one, and the
 *       time until its queue is empty;
 *   <li>the programming latency, once that queue is empty: after starting skydns-server on the
 *       same etcd and 10 unmeasured updates, for single changes of a Service's cluster IP, the
 *       time from the API server accepting the change to skydns-server answering the new
 *       address, polled every millisecond; next to it kube2sky's own
 *       {@code kube2sky_programming_latency_seconds} (API event to etcd commit) and etcd's WAL
 *       fsync times, which every write waits for.
 * </ol>
 *
 * <p>Prints a summary table on standard output and progress on standard error. Everything it
 * starts listens on 127.0.0.1 only. Exits 0 when it measured everything (targets missed or not),
 * 1 when something failed.
 *
 * <p>Options: {@code --etcd URL --kube2sky-jar JAR --skydns-jar JAR --work-dir DIR --pid-file FILE}
 * (required), {@code --services N} [10000], {@code --updates M} [50], {@code --kube2sky-jvm-options
 * "OPTS"} [none], {@code --sync-timeout SECONDS} [600].
 */
public final class Kube2SkyBench {
  private static final String PREFIX = "/skydns/";
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long HTTP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long UPDATE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long SKYDNS_START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(300);
  private static final String LATENCY_HISTOGRAM = "kube2sky_programming_latency_seconds";
  private static final String QUEUE_DEPTH = "kube2sky_queue_depth";
  private static final String WAL_FSYNC_HISTOGRAM = "etcd_disk_wal_fsync_duration_seconds";
  private static final int WARM_UP_UPDATES = 10;
  private static final double MB = 1024;

  private final Map<String, String> options;
  private final int services;
  private final int updates;
  private final Path workDir;
  private final Path pidFile;
  private final List<String[]> rows = new ArrayList<>();
  private final List<ChildJvm> children = new ArrayList<>();
  private final String etcdUrl;
  private long syncDeadline;

  private Kube2SkyBench(Map<String, String> options) {
    this.options = options;
    this.services = Integer.parseInt(options.getOrDefault("services", "10000"));
    this.updates = Integer.parseInt(options.getOrDefault("updates", "50"));
    this.workDir = Path.of(required("work-dir"));
    this.pidFile = Path.of(required("pid-file"));
    this.etcdUrl = required("etcd");
    if (services < 10 || updates < 1) {
      throw new IllegalArgumentException("--services must be at least 10 and --updates at least 1");
    }
  }

  /** Runs the benchmark with {@code --name value} options; see the class comment. */
  public static void main(String[] args) {
    int code;
    try {
      Kube2SkyBench bench = new Kube2SkyBench(parse(args));
      Runtime.getRuntime().addShutdownHook(new Thread(bench::stopChildren, "stop-children"));
      code = bench.run(System.out) ? 0 : 1;
    } catch (IllegalArgumentException e) {
      System.err.println("kube2sky bench: " + e.getMessage());
      code = 2;
    } catch (Exception e) {
      System.err.println("kube2sky bench failed: " + e);
      e.printStackTrace();
      code = 1;
    }
    // The mock server's and the clients' threads would otherwise keep the JVM alive.
    System.exit(code);
  }

  static void log(String message) {
    System.err.println("[bench] " + message);
  }

  private boolean run(PrintStream out) throws Exception {
    log("creating " + services + " Services (" + services / 10 + " headless, with EndpointSlices) in the mock API"
        + " server");
    try (MockCluster cluster = MockCluster.start();
        Client etcd = Client.builder().endpoints(etcdUrl).build()) {
      long createStart = System.nanoTime();
      cluster.createServices(services);
      log(fmt("created them in %.1f s (not part of the measurement)", seconds(System.nanoTime() - createStart)));
      Synced synced = firstSync(cluster, etcd);
      boolean complete = synced.keys() == MockCluster.expectedKeys(services);
      if (complete) {
        awaitEmptyQueue(synced);
        programmingLatency(cluster, etcd, synced.health());
        memoryAtTheEnd(synced.kube2sky());
      } else {
        log("etcd holds " + synced.keys() + " keys under " + PREFIX + " but " + MockCluster.expectedKeys(services)
            + " were expected");
      }
      printSummary(out);
      return complete;
    } finally {
      stopChildren();
    }
  }

  /**
   * kube2sky after its first complete sync.
   *
   * @param health the base URL of its health and metrics endpoints
   * @param ready the {@link System#nanoTime()} when {@code /readyz} first answered 200
   * @param atReady its metrics right then
   * @param keys the keys under the prefix in etcd right then
   */
  private record Synced(ChildJvm kube2sky, String health, long ready, Scrape atReady, long keys) {}

  /** Starts kube2sky and measures its first complete sync. */
  private Synced firstSync(MockCluster cluster, Client etcd) throws Exception {
    Count before = count(etcd);
    double txnRpcsBefore = etcdTxnRpcs();
    String health = "http://127.0.0.1:" + freePort();
    // kube2sky's worker thread dies of an OutOfMemoryError and the process lives on, never ready:
    // exiting makes a heap too small for the Services fail the run at once, not at the timeout.
    List<String> jvmOptions = new ArrayList<>(List.of("-XX:+ExitOnOutOfMemoryError"));
    Arrays.stream(options.getOrDefault("kube2sky-jvm-options", "").trim().split("\\s+"))
        .filter(option -> !option.isEmpty()).forEach(jvmOptions::add);
    long start = System.nanoTime();
    ChildJvm kube2sky = started(ChildJvm.start("kube2sky", jvmOptions, Path.of(required("kube2sky-jar")),
        List.of("--kube-master-url", cluster.url(), "--etcd-server", etcdUrl,
            "--etcd-max-txn-ops", options.getOrDefault("etcd-max-txn-ops", "128"),
            "--healthz-port", health.substring(health.lastIndexOf(':') + 1), "--healthz-bind-address", "127.0.0.1"),
        workDir, pidFile));
    syncDeadline = start + TimeUnit.SECONDS.toNanos(Long.parseLong(options.getOrDefault("sync-timeout", "600")));
    long healthy = -1;
    long ready = -1;
    while (ready < 0) {
      if (!kube2sky.isAlive()) {
        throw new IOException("kube2sky exited during the sync; its log ends:\n" + kube2sky.logTail());
      }
      if (System.nanoTime() > syncDeadline) {
        throw new IOException("kube2sky was not ready within --sync-timeout; its log ends:\n" + kube2sky.logTail());
      }
      if (healthy < 0 && Scrape.status(health + "/healthz") == 200) {
        healthy = System.nanoTime();
      }
      if (healthy >= 0 && Scrape.status(health + "/readyz") == 200) {
        ready = System.nanoTime();
      } else {
        LockSupport.parkNanos(HTTP_POLL_NANOS);
      }
    }
    log(fmt("kube2sky ready after %.2f s", seconds(ready - start)));
    Count synced = count(etcd);
    double txnRpcs = etcdTxnRpcs() - txnRpcsBefore;
    Scrape atReady = Scrape.of(health + "/metrics");
    long rss = kube2sky.statusKb("VmRSS");
    long peak = kube2sky.statusKb("VmHWM");
    ChildJvm.Heap heap = kube2sky.heap(false);

    double syncSeconds = seconds(ready - start);
    double target = services <= 10_000 ? 10 : services <= 100_000 ? 60 : Double.NaN;
    double fullReconcile = atReady.value("kube2sky_full_reconcile_duration_seconds");
    long expected = MockCluster.expectedKeys(services);
    row("Services (headless with 3 endpoints each)", services + " (" + services / 10 + ")", "", "");
    row("first complete sync: JVM start to /readyz 200", fmt("%.2f s", syncSeconds),
        Double.isNaN(target) ? "" : fmt("%.0f s", target), verdict(syncSeconds <= target, target));
    row("  JVM start to /healthz 200", fmt("%.2f s", seconds(healthy - start)), "", "");
    row("  full reconcile (kube2sky_full_reconcile_duration_seconds)", fmt("%.2f s", fullReconcile), "", "");
    row("  before it: JVM, clients, informers' first list", fmt("%.2f s", syncSeconds - fullReconcile), "", "");
    row("etcd keys under /skydns/ at ready (expected)", synced.keys() + " (" + expected + ")", "= expected",
        synced.keys() == expected ? "met" : "MISSED");
    row("etcd write transactions for the sync (revision delta)", Long.toString(synced.revision() - before.revision()),
        "", "");
    row("etcd Txn RPCs during the sync (reads included)", fmt("%.0f", txnRpcs), "", "");
    row("kube2sky RSS at ready / peak (VmRSS / VmHWM)", fmt("%.0f / %.0f MB", rss / MB, peak / MB), "", "");
    row("kube2sky heap at ready: used / committed", fmt("%.0f / %.0f MB", heap.usedKb() / MB, heap.committedKb() / MB),
        "", "");
    return new Synced(kube2sky, health, ready, atReady, synced.keys());
  }

  /**
   * Waits until kube2sky's queue is empty. Services still queued at ready are reconciled one by
   * one afterwards, and single updates would wait behind them: the latency is measured after.
   */
  private void awaitEmptyQueue(Synced synced) throws IOException, InterruptedException {
    Scrape scrape = synced.atReady();
    while (scrape.value(QUEUE_DEPTH) > 0) {
      if (System.nanoTime() > syncDeadline) {
        throw new IOException("kube2sky's queue did not empty within --sync-timeout");
      }
      LockSupport.parkNanos(HTTP_POLL_NANOS);
      scrape = Scrape.of(synced.health() + "/metrics");
    }
    long empty = System.nanoTime();
    row("queued at ready / reconciled one by one after ready", fmt("%.0f / %.0f Services",
        synced.atReady().value(QUEUE_DEPTH), reconciles(scrape) - reconciles(synced.atReady())), "", "");
    row("  ready to an empty queue", fmt("%.2f s", seconds(empty - synced.ready())), "", "");
  }

  /**
   * Starts skydns-server on the synced etcd and measures single updates from the API server to
   * its answers, one at a time.
   */
  private void programmingLatency(MockCluster cluster, Client etcd, String health) throws Exception {
    int dnsPort = freePort();
    long start = System.nanoTime();
    ChildJvm skydns = started(ChildJvm.start("skydns-server", List.of(), Path.of(required("skydns-jar")),
        List.of("-addr", "127.0.0.1:" + dnsPort, "-machines", etcdUrl, "-domain", "cluster.local.",
            // The discard port: nothing is forwarded, and the machine's resolvers are never used.
            "-nameservers", "127.0.0.1:9", "-rcache", "0"),
        workDir, pidFile));
    try (DnsProbe dns = new DnsProbe(new InetSocketAddress("127.0.0.1", dnsPort))) {
      long deadline = start + SKYDNS_START_TIMEOUT_NANOS;
      int last = services - 1 - (MockCluster.isHeadless(services - 1) ? 1 : 0);
      awaitAnswer(dns, skydns, MockCluster.dnsName(0), MockCluster.clusterIp(0), deadline);
      awaitAnswer(dns, skydns, MockCluster.dnsName(last), MockCluster.clusterIp(last), deadline);
      double skydnsSeconds = seconds(System.nanoTime() - start);
      log(fmt("skydns-server answers the first and last Service after %.2f s; %d single updates follow",
          skydnsSeconds, updates));

      // Unmeasured updates first, so that the per-update paths of every process are compiled.
      for (int k = 0; k < WARM_UP_UPDATES; k++) {
        int i = clusterIpService(k * (services / WARM_UP_UPDATES) + 3);
        String ip = MockCluster.updatedIp(updates + k);
        cluster.changeClusterIp(i, ip);
        awaitAnswer(dns, skydns, MockCluster.dnsName(i), ip, System.nanoTime() + UPDATE_TIMEOUT_NANOS);
      }
      Scrape before = Scrape.of(health + "/metrics");
      Scrape etcdBefore = Scrape.of(etcdUrl + "/metrics");
      long revisionBefore = count(etcd).revision();
      double[] fromReturn = new double[updates];
      double[] fromCall = new double[updates];
      double[] callTime = new double[updates];
      for (int k = 0; k < updates; k++) {
        int i = clusterIpService((int) ((long) k * services / updates));
        String ip = MockCluster.updatedIp(k);
        long call = System.nanoTime();
        cluster.changeClusterIp(i, ip);
        long returned = System.nanoTime();
        long answered = awaitAnswer(dns, skydns, MockCluster.dnsName(i), ip, returned + UPDATE_TIMEOUT_NANOS);
        fromReturn[k] = millis(answered - returned);
        fromCall[k] = millis(answered - call);
        callTime[k] = millis(returned - call);
      }
      Scrape after = Scrape.of(health + "/metrics");
      Scrape etcdAfter = Scrape.of(etcdUrl + "/metrics");
      long txns = count(etcd).revision() - revisionBefore;
      double p99 = percentile(fromReturn, 0.99);
      row("update accepted -> new IP answered by skydns-server: p50 / p99 / max",
          fmt("%.1f / %.1f / %.1f ms", percentile(fromReturn, 0.5), p99, percentile(fromReturn, 1)), "p99 100 ms",
          verdict(p99 <= 100, 100));
      row("  the same from the update call's start: p50 / p99",
          fmt("%.1f / %.1f ms", percentile(fromCall, 0.5), percentile(fromCall, 0.99)), "", "");
      row("  the API update call (GET + PATCH) itself: p50 / p99",
          fmt("%.1f / %.1f ms", percentile(callTime, 0.5), percentile(callTime, 0.99)), "", "");
      row("kube2sky_programming_latency_seconds (event -> etcd): p50 / p99",
          fmt("<= %s / <= %s ms", bound(after.quantileSince(before, LATENCY_HISTOGRAM, 0.5)),
              bound(after.quantileSince(before, LATENCY_HISTOGRAM, 0.99))), "", "");
      row("etcd write transactions per update", fmt("%.2f", (double) txns / updates), "", "");
      row("etcd WAL fsync during the updates: p50 / p99", fmt("<= %s / <= %s ms",
          bound(etcdAfter.quantileSince(etcdBefore, WAL_FSYNC_HISTOGRAM, 0.5)),
          bound(etcdAfter.quantileSince(etcdBefore, WAL_FSYNC_HISTOGRAM, 0.99))), "", "");
      row("skydns-server: start to answering the first and last Service", fmt("%.2f s", skydnsSeconds), "", "");
    }
  }

  /** Returns {@code i}, or the ClusterIP Service before it when {@code i} is headless. */
  private static int clusterIpService(int i) {
    return MockCluster.isHeadless(i) ? i - 1 : i;
  }

  private void memoryAtTheEnd(ChildJvm kube2sky) throws IOException, InterruptedException {
    long peak = kube2sky.statusKb("VmHWM");
    ChildJvm.Heap live = kube2sky.heap(true);
    // The target holds at 100,000 Services; below, the figure is shown without a verdict.
    row("kube2sky peak RSS over the whole run (VmHWM)", fmt("%.0f MB", peak / MB), "512 MB at 100,000",
        verdict(peak / MB <= 512, services >= 100_000 ? 512 : Double.NaN));
    row("kube2sky live heap after a full GC / metaspace",
        fmt("%.0f / %.0f MB", live.usedKb() / MB, live.metaspaceKb() / MB), "", "");
  }

  /**
   * Polls {@code name} at skydns-server every millisecond until its answer holds {@code ip};
   * returns the {@link System#nanoTime()} of that answer.
   */
  private static long awaitAnswer(DnsProbe dns, ChildJvm skydns, String name, String ip, long deadline) throws IOException {
    while (true) {
      if (dns.addresses(name).contains(ip)) {
        return System.nanoTime();
      }
      if (!skydns.isAlive()) {
        throw new IOException("skydns-server exited; its log ends:\n" + skydns.logTail());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("skydns-server did not answer " + name + " A with " + ip + " in time");
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private ChildJvm started(ChildJvm child) {
    synchronized (children) {
      children.add(child);
    }
    return child;
  }

  private void stopChildren() {
    List<ChildJvm> stopping;
    synchronized (children) {
      stopping = new ArrayList<>(children);
      children.clear();
    }
    for (ChildJvm child : stopping) {
      child.close();
    }
  }

  /** Returns how many Service reconciles kube2sky has done, whatever their result. */
  private static double reconciles(Scrape scrape) {
    return scrape.sum(series -> series.startsWith("kube2sky_reconciles_total{"));
  }

  /** Keys under the prefix and the store's revision, read at once. */
  private record Count(long keys, long revision) {}

  private static Count count(Client etcd) throws Exception {
    GetResponse response = etcd.getKVClient()
        .get(ByteSequence.from(PREFIX, StandardCharsets.UTF_8),
            GetOption.builder().isPrefix(true).withCountOnly(true).build())
        .get(30, TimeUnit.SECONDS);
    return new Count(response.getCount(), response.getHeader().getRevision());
  }

  /** Returns how many Txn RPCs etcd has answered, from its gRPC server metrics. */
  private double etcdTxnRpcs() throws IOException, InterruptedException {
    return Scrape.of(etcdUrl + "/metrics")
        .sum(series -> series.startsWith("grpc_server_handled_total{") && series.contains("grpc_method=\"Txn\""));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void row(String measure, String value, String target, String verdict) {
    rows.add(new String[] {measure, value, target, verdict});
  }

  private void printSummary(PrintStream out) {
    int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(10);
    String format = "%-" + width + "s  %-26s %-18s %s%n";
    out.printf(format, "measure", "value", "target", "");
    for (String[] row : rows) {
      out.printf(format, (Object[]) row);
    }
    out.flush();
  }

  private static String verdict(boolean met, double target) {
    return Double.isNaN(target) ? "" : met ? "met" : "MISSED";
  }

  /** Returns the nearest-rank percentile {@code q} of {@code values}. */
  static double percentile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static String bound(double seconds) {
    return Double.isNaN(seconds) ? "n/a" : Double.isInfinite(seconds) ? "+Inf" : fmt("%.1f", seconds * 1000);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private String required(String name) {
    String value = options.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
