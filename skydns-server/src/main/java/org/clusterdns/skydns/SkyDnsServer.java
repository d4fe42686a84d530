package org.clusterdns.skydns;

import io.etcd.jetcd.Client;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.clusterdns.skydns.backend.BackendStatus;
import org.clusterdns.skydns.backend.EtcdBackend;
import org.clusterdns.skydns.config.ServerConfig;
import org.clusterdns.skydns.metrics.BackendGauges;
import org.clusterdns.skydns.metrics.CacheKind;
import org.clusterdns.skydns.metrics.HttpEndpoints;
import org.clusterdns.skydns.metrics.MetricsResolver;
import org.clusterdns.skydns.metrics.ServerMetrics;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.skydns.resolve.Resolver;
import org.clusterdns.skydns.resolve.ResolverChain;
import org.clusterdns.skydns.resolve.cache.ResponseCache;
import org.clusterdns.skydns.resolve.cache.ResponseCacheConfig;
import org.clusterdns.skydns.resolve.forward.ExternalAliases;
import org.clusterdns.skydns.resolve.forward.Forwarder;
import org.clusterdns.skydns.resolve.forward.UpstreamExchanger;
import org.clusterdns.skydns.resolve.forward.UpstreamGroup;
import org.clusterdns.skydns.resolve.stub.StubResolver;
import org.clusterdns.skydns.resolve.stub.StubZones;
import org.clusterdns.skydns.resolve.authoritative.AuthoritativeResolver;
import org.clusterdns.skydns.server.AnswerCacheSettings;
import org.clusterdns.skydns.server.AnswerReuse;
import org.clusterdns.skydns.server.DnsServer;
import org.clusterdns.skydns.server.QueryProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One running skydns-server: the etcd backend, the resolver chain, the DNS listeners and the
 * operations endpoints, started together and closed together.
 *
 * <p>The chain is, in order: metrics, the response cache (with {@code -rcache}), stub zones (with
 * {@code -stubzones}), external aliases, authoritative, forward. The stub zones and the nameservers share one upstream exchanger, so
 * the cap on outstanding upstream questions holds for both.
 */
public final class SkyDnsServer implements AutoCloseable {
  /** How many encoded replies the transport's answer cache keeps. */
  static final int ANSWER_CACHE_CAPACITY = 50_000;
  /** How long a stored reply is reused at most when the data does not change (lease TTLs, SOA serial). */
  static final Duration ANSWER_CACHE_MAX_AGE = Duration.ofSeconds(5);
  /**
   * How many read timeouts all upstream attempts for one question may take together: with the
   * default 2 s, a client hears SERVFAIL after at most 4 s, before the usual 5 s client timeout.
   */
  static final int QUESTION_TIMEOUT_ATTEMPTS = 2;

  private static final Logger log = LoggerFactory.getLogger(SkyDnsServer.class);

  private final EtcdBackend backend;
  private final DnsServer dns;
  private final HttpEndpoints http;

  private SkyDnsServer(EtcdBackend backend, DnsServer dns, HttpEndpoints http) {
    this.backend = backend;
    this.dns = dns;
    this.http = http;
  }

  /**
   * Starts a server for {@code config} that reads its records through {@code etcd} (which the
   * caller owns and closes). Returns once the listeners are bound; the records load in the
   * background, and until they have, queries are refused and {@code /readyz} says not ready.
   *
   * @throws IOException when an address cannot be bound
   * @throws InterruptedException when interrupted while binding
   */
  public static SkyDnsServer start(ServerConfig config, Client etcd) throws IOException, InterruptedException {
    return start(config, etcd, ANSWER_CACHE_MAX_AGE);
  }

  /**
   * Starts a server like {@link #start(ServerConfig, Client)} whose stored replies live at most
   * {@code answerCacheMaxAge} while the data does not change. Tests use a long age, so that only
   * invalidation, never expiry, can end a stored reply while they run.
   */
  static SkyDnsServer start(ServerConfig config, Client etcd, Duration answerCacheMaxAge)
      throws IOException, InterruptedException {
    EtcdBackend backend = new EtcdBackend(etcd, config.etcd(), System::currentTimeMillis);
    HttpEndpoints http = null;
    DnsServer dns = null;
    try {
      backend.start();
      PrometheusRegistry registry = new PrometheusRegistry();
      ServerMetrics metrics = new ServerMetrics(registry, config.metrics().namespace(),
          config.metrics().subsystem(), gauges(backend), Clock.systemUTC());
      String domain = config.answer().domain();
      Name domainName = Name.fromConstantString(domain);
      Optional<StubZones> stubZones = config.stubZones()
          ? Optional.of(new StubZones(backend, domain, new EtcdPath(config.etcd().pathPrefix()), config.readTimeout()))
          : Optional.empty();
      Predicate<String> inStubZone = name -> stubZones.map(zones -> zones.match(name).isPresent()).orElse(false);
      LongSupplier routing = stubZones.<LongSupplier>map(zones -> zones::version).orElse(() -> 0);
      MetricsResolver metricsStep = new MetricsResolver(metrics, domain, inStubZone);
      UpstreamExchanger exchanger = new UpstreamExchanger(config.forwardMaxOutstanding(), config.readTimeout(),
          config.readTimeout().multipliedBy(QUESTION_TIMEOUT_ATTEMPTS), metricsStep);
      Forwarder forwarder = new Forwarder(
          new UpstreamGroup("nameservers", config.nameservers(), config.readTimeout(), config.nsRotate(), false),
          exchanger, config.noRec(), config.ndots(), metricsStep);
      List<Resolver> steps = new ArrayList<>();
      steps.add(metricsStep);
      if (config.responseCacheSize() > 0) {
        steps.add(new ResponseCache(new ResponseCacheConfig(config.responseCacheSize(), config.responseCacheTtl(),
            domain, config.answer().roundRobin()), backend::generation, routing, System::nanoTime,
            () -> ThreadLocalRandom.current().nextLong(), () -> metrics.cacheMiss(CacheKind.RESPONSE)));
      }
      stubZones.ifPresent(zones -> steps.add(new StubResolver(zones, exchanger, metricsStep)));
      steps.add(new ExternalAliases(forwarder, domainName, config.responseCacheTtl()));
      // The resolver runs on event-loop threads: ThreadLocalRandom.current() must be called on
      // each of them, not once here (a captured instance repeats one sequence per restart).
      steps.add(new AuthoritativeResolver(config.answer(), backend, System::currentTimeMillis,
          () -> ThreadLocalRandom.current().nextLong()));
      steps.add(forwarder);
      ResolverChain chain = new ResolverChain(steps);
      AnswerCacheSettings answerCache = new AnswerCacheSettings(ANSWER_CACHE_CAPACITY, backend::generation, routing,
          reply -> reuse(reply, domainName, config, inStubZone, answerCacheMaxAge));
      dns = new DnsServer(config.listen(), new QueryProcessor(chain, metricsStep, answerCache));
      dns.start();
      http = HttpEndpoints.start(config.metrics(), registry, backend::isSynced);
      log.info("serving {} on {} (udp) and {} (tcp), records from {} under /{}", config.answer().domain(),
          dns.udpAddress(), dns.tcpAddress(), config.etcd().endpoints(), config.etcd().pathPrefix());
      if (config.noRec()) {
        log.info("not forwarding names outside {} (no_rec): they are refused", domain);
      } else if (config.nameservers().isEmpty()) {
        log.warn("no nameservers (none configured, none in resolv.conf): names outside {} get SERVFAIL", domain);
      } else {
        log.info("forwarding names outside {} to {}{}, read timeout {}", domain, config.nameservers(),
            config.nsRotate() ? " in rotation" : " in order", config.readTimeout());
      }
      return new SkyDnsServer(backend, dns, http);
    } catch (IOException | InterruptedException | RuntimeException e) {
      closeQuietly(http);
      closeQuietly(dns);
      backend.close();
      throw e;
    }
  }

  /**
   * Returns how long the transport may reuse a complete reply: an authoritative answer for the
   * domain until the data changes (at most {@code maxAge}); with the response
   * cache on, a forwarded answer as long as the response cache keeps it, TTLs counting down; except
   * address answers whose order round robin varies per query, and stub-zone replies (a stub server
   * may set AA for a zone below the domain, and its TTLs must count down).
   */
  static AnswerReuse reuse(Message reply, Name domain, ServerConfig config, Predicate<String> inStubZone,
      Duration maxAge) {
    Record question = reply.getQuestion();
    if (question != null && inStubZone.test(question.getName().toString().toLowerCase(Locale.ROOT))) {
      return AnswerReuse.NEVER; // a stub server's reply, even for a zone below the domain: the response cache's
    }
    if (isReusable(reply, domain, config.answer().roundRobin())) {
      return AnswerReuse.untilDataChanges(maxAge);
    }
    if (config.responseCacheSize() == 0 || question == null
        || ResponseCache.mayComeFromIndex(question.getName(), domain)
        || (config.answer().roundRobin() && addresses(reply) > 1)) {
      return AnswerReuse.NEVER;
    }
    return AnswerReuse.countingDown(ResponseCache.lifetime(reply, config.responseCacheTtl()));
  }

  /**
   * Returns whether a complete reply may be reused by the transport for later identical
   * questions: authoritative answers and denials for names in the domain, except address answers
   * whose order round robin varies per query. Forwarded replies are left to the response cache,
   * which counts their TTLs down; an upstream that sets AA does not make them ours.
   */
  static boolean isReusable(Message reply, Name domain, boolean roundRobin) {
    int rcode = reply.getRcode();
    if (!reply.getHeader().getFlag(Flags.AA) || (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN)
        || reply.getQuestion() == null || !reply.getQuestion().getName().subdomain(domain)) {
      return false;
    }
    return !roundRobin || addresses(reply) <= 1;
  }

  private static int addresses(Message reply) {
    int addresses = 0;
    for (Record record : reply.getSection(Section.ANSWER)) {
      if (record.getType() == Type.A || record.getType() == Type.AAAA) {
        addresses++;
      }
    }
    return addresses;
  }

  private static BackendGauges gauges(EtcdBackend backend) {
    return new BackendGauges() {
      @Override
      public long entries() {
        return backend.status().entries();
      }

      @Override
      public long revision() {
        return backend.status().revision();
      }

      @Override
      public long lastEventMillis() {
        return backend.status().lastEventMillis();
      }

      @Override
      public boolean connected() {
        return backend.status().connected();
      }

      @Override
      public long malformedValues() {
        return backend.status().malformedValues();
      }
    };
  }

  /** Returns the bound UDP address (the real port when configured with port 0). */
  public InetSocketAddress udpAddress() {
    return dns.udpAddress();
  }

  /** Returns the bound TCP address. */
  public InetSocketAddress tcpAddress() {
    return dns.tcpAddress();
  }

  /** Returns the bound address of {@code /healthz}, {@code /readyz} and {@code /metrics}, if enabled. */
  public Optional<InetSocketAddress> healthAddress() {
    return http.healthAddress();
  }

  /** Returns the backend's state: revision, entries, connection. */
  public BackendStatus backendStatus() {
    return backend.status();
  }

  /** Waits until the first load of the records is complete; returns whether it was within {@code timeout}. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return backend.awaitSynced(timeout);
  }

  /** Stops listening, then stops the endpoints and the backend. */
  @Override
  public void close() {
    closeQuietly(dns);
    closeQuietly(http);
    backend.close();
    log.info("stopped");
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
    }
  }
}
