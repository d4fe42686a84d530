package org.clusterdns.skydns.config;

import org.clusterdns.etcd.EtcdConfig;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.clusterdns.process.flags.ConfigException;
import org.clusterdns.process.flags.GoSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Loads skydns-server's configuration in SkyDNS's two steps, with its precedence (etcd config
 * object over flags over environment over defaults):
 *
 * <ol>
 *   <li>{@link #parse} reads the command line (SkyDNS's single-dash flags) and the environment, and
 *       validates every value, giving a {@link BootstrapConfig} that says how to reach etcd;
 *   <li>the caller reads {@code /<prefix>/config} from etcd;
 *   <li>{@link #complete} applies that object and SkyDNS's after-load defaults, giving the
 *       {@link ServerConfig}.
 * </ol>
 *
 * <p>Every invalid value raises a {@link ConfigException} naming the flag, environment variable or
 * etcd key and the value. The loader never exits the process and never prints.
 */
public final class ServerConfigLoader {
  /** What {@code -version} prints: SkyDNS's line, so scripts that read it keep working. */
  public static final String VERSION_LINE = "skydns server version: 2.5.3a (clusterdns skydns-server)";

  private static final Logger LOG = LoggerFactory.getLogger(ServerConfigLoader.class);
  private static final Duration ETCD_REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final String HELP_FOOTER = "%nEnvironment variables without a flag:%n"
      + envOnly()
      + "Keys of the etcd object /<prefix>/config without a flag:%n"
      + etcdOnly()
      + "Precedence: the etcd object /<prefix>/config, then flags, then environment variables, then%n"
      + "defaults. An empty environment variable counts as unset. Flags may also be written with two%n"
      + "dashes, and booleans as -flag (true) or -flag=false.%n";

  private final Map<String, String> env;
  private final Path resolvConf;

  /**
   * Creates a loader that reads {@code env} as the environment and {@code resolvConf} for the
   * default nameservers.
   */
  public ServerConfigLoader(Map<String, String> env, Path resolvConf) {
    this.env = Map.copyOf(env);
    this.resolvConf = Objects.requireNonNull(resolvConf, "resolvConf");
  }

  /** Returns a loader for this process: its environment and {@code /etc/resolv.conf}. */
  public static ServerConfigLoader forThisProcess() {
    return new ServerConfigLoader(System.getenv(), Path.of("/etc/resolv.conf"));
  }

  /** What the command line asks for. */
  public sealed interface Result permits Start, ShowHelp, ShowVersion {}

  /** Start the server: reach etcd with {@code bootstrap}, then {@link #complete} the configuration. */
  public record Start(BootstrapConfig bootstrap) implements Result {}

  /** Print {@code text} (the help) and exit with status 0. */
  public record ShowHelp(String text) implements Result {}

  /** Print {@code text} (the version line) and exit with status 0. */
  public record ShowVersion(String text) implements Result {}

  /** Returns the help text: every flag with its meaning, default, environment variable and etcd key. */
  public static String usage() {
    return commandLine().getUsageMessage();
  }

  /**
   * Reads {@code args} and the environment: help or version when asked for, else the validated
   * bootstrap configuration.
   *
   * @throws ConfigException for an unknown flag, a missing value or an invalid value
   */
  public Result parse(String... args) {
    CommandLine commandLine = commandLine();
    ParseResult parsed;
    try {
      parsed = commandLine.parseArgs(singleDashed(args));
    } catch (ParameterException e) {
      throw new ConfigException(e.getMessage() + " (see -help)");
    }
    if (commandLine.isUsageHelpRequested()) {
      return new ShowHelp(usage());
    }
    Inputs in = new Inputs(parsed);
    if (in.bool(Setting.VERSION)) {
      return new ShowVersion(VERSION_LINE);
    }
    if (in.bool(Setting.ETCD3)) {
      LOG.info("Ignored -etcd3: etcd's v3 API is always used");
    }
    return new Start(new BootstrapConfig(etcd(in), metrics(in), in.bool(Setting.VERBOSE),
        in.bool(Setting.STUBZONES), settings(in)));
  }

  /**
   * Applies the etcd configuration object (its bytes, when the key exists) and SkyDNS's after-load
   * defaults to {@code bootstrap}: zero TTLs, priority, read timeout and response-cache TTL take
   * their defaults, an empty domain becomes {@code skydns.local.}, an empty hostmaster
   * {@code hostmaster.<domain>}, ndots of 0 or less 2, negative cache sizes 0, and an empty
   * nameserver list the {@code nameserver} lines of resolv.conf.
   *
   * @throws ConfigException when the object is not a JSON object or one of its values is invalid
   */
  public ServerConfig complete(BootstrapConfig bootstrap, Optional<byte[]> etcdConfigObject) {
    Settings s = etcdConfigObject
        .map(json -> EtcdConfigObject.apply(json, bootstrap.configKey(), bootstrap.settings()))
        .orElseGet(bootstrap::settings);
    String domain = s.domain.isEmpty() ? Setting.DOMAIN.defaultValue() : s.domain;
    AnswerConfig answer = new AnswerConfig(
        domain,
        s.hostmaster.isEmpty() ? "hostmaster." + domain : s.hostmaster,
        s.ttl == 0 ? defaultNumber(Setting.TTL) : s.ttl,
        s.minTtl == 0 ? defaultNumber(Setting.MIN_TTL) : s.minTtl,
        (int) (s.priority == 0 ? defaultNumber(Setting.PRIORITY) : s.priority),
        s.local.isEmpty() ? Optional.empty() : Optional.of(s.local),
        s.roundRobin,
        s.wildcards);
    return new ServerConfig(
        answer,
        bootstrap.etcd(),
        ListenConfig.defaults(s.addr),
        s.nameservers.isEmpty() ? ResolvConf.nameservers(resolvConf) : s.nameservers,
        s.noRec,
        (int) (s.ndots <= 0 ? defaultNumber(Setting.NDOTS) : s.ndots),
        s.readTimeout.isZero() ? GoSyntax.parseDuration(Setting.RTIMEOUT.defaultValue()) : s.readTimeout,
        s.nsRotate,
        (int) s.forwardMaxOutstanding,
        bootstrap.stubZones(),
        s.dnssec.isEmpty() ? Optional.empty() : Optional.of(s.dnssec),
        (int) Math.max(0, s.signatureCacheSize),
        (int) Math.max(0, s.responseCacheSize),
        Duration.ofSeconds(s.responseCacheTtl == 0 ? defaultNumber(Setting.RCACHE_TTL) : s.responseCacheTtl),
        s.systemd,
        bootstrap.verbose(),
        bootstrap.metrics());
  }

  private static EtcdConfig etcd(Inputs in) {
    List<URI> endpoints = Parsers.endpoints(in.source(Setting.MACHINES), in.value(Setting.MACHINES));
    String prefix = Parsers.pathPrefix(in.source(Setting.PATH_PREFIX), in.value(Setting.PATH_PREFIX));
    Optional<Path> caCert = Parsers.readableFile(in.source(Setting.CA_CERT), in.value(Setting.CA_CERT));
    Optional<Path> clientCert = Parsers.readableFile(in.source(Setting.TLS_PEM), in.value(Setting.TLS_PEM));
    Optional<Path> clientKey = Parsers.readableFile(in.source(Setting.TLS_KEY), in.value(Setting.TLS_KEY));
    in.requireBothOrNeither(Setting.TLS_KEY, Setting.TLS_PEM);
    Optional<String> username = in.optional(Setting.USERNAME);
    Optional<String> password = in.optional(Setting.PASSWORD);
    in.requireBothOrNeither(Setting.USERNAME, Setting.PASSWORD);
    return new EtcdConfig(endpoints, prefix, caCert, clientCert, clientKey, username, password, ETCD_REQUEST_TIMEOUT);
  }

  private static MetricsConfig metrics(Inputs in) {
    Optional<InetSocketAddress> health = in.optional(Setting.HEALTH_ADDR)
        .map(value -> Parsers.hostPort(in.source(Setting.HEALTH_ADDR), value, 0));
    Optional<Integer> prometheusPort = in.optional(Setting.PROMETHEUS_PORT)
        .map(value -> (int) Parsers.integer(in.source(Setting.PROMETHEUS_PORT), value, 0, 65535));
    return new MetricsConfig(
        health,
        prometheusPort,
        Parsers.httpPath(in.source(Setting.PROMETHEUS_PATH), in.value(Setting.PROMETHEUS_PATH)),
        Parsers.metricNamePart(in.source(Setting.PROMETHEUS_NAMESPACE), in.value(Setting.PROMETHEUS_NAMESPACE)),
        Parsers.metricNamePart(in.source(Setting.PROMETHEUS_SUBSYSTEM), in.value(Setting.PROMETHEUS_SUBSYSTEM)));
  }

  private static Settings settings(Inputs in) {
    Settings s = new Settings();
    s.domain = Parsers.name(in.source(Setting.DOMAIN), in.value(Setting.DOMAIN));
    s.addr = Parsers.hostPort(in.source(Setting.ADDR), in.value(Setting.ADDR), 1);
    s.nameservers = Parsers.hostPorts(in.source(Setting.NAMESERVERS), in.value(Setting.NAMESERVERS));
    s.noRec = in.bool(Setting.NO_REC);
    s.dnssec = Parsers.dnssecKey(in.source(Setting.DNSSEC), in.value(Setting.DNSSEC));
    s.local = Parsers.name(in.source(Setting.LOCAL), in.value(Setting.LOCAL));
    s.readTimeout = Parsers.duration(in.source(Setting.RTIMEOUT), in.value(Setting.RTIMEOUT));
    s.roundRobin = in.bool(Setting.ROUND_ROBIN);
    s.nsRotate = in.bool(Setting.NS_ROTATE);
    s.forwardMaxOutstanding = in.integer(Setting.FORWARD_MAX_OUTSTANDING, 1);
    s.systemd = in.bool(Setting.SYSTEMD);
    s.hostmaster = Parsers.hostmaster(in.source(Setting.HOSTMASTER), in.value(Setting.HOSTMASTER));
    s.signatureCacheSize = in.integer(Setting.SCACHE, Integer.MIN_VALUE);
    s.responseCacheSize = in.integer(Setting.RCACHE, Integer.MIN_VALUE);
    s.responseCacheTtl = in.integer(Setting.RCACHE_TTL, 0);
    s.ndots = in.integer(Setting.NDOTS, Integer.MIN_VALUE);
    s.wildcards = in.bool(Setting.WILDCARDS);
    return s; // priority, ttl and min_ttl have no flag: 0 until the etcd object sets them
  }

  private static long defaultNumber(Setting setting) {
    return Long.parseLong(setting.defaultValue());
  }

  /** Where each setting's text comes from: the flag if given, else a non-empty environment variable, else the default. */
  private final class Inputs {
    private final ParseResult parsed;

    Inputs(ParseResult parsed) {
      this.parsed = parsed;
    }

    boolean fromFlag(Setting setting) {
      return setting.flag() != null && parsed.hasMatchedOption(setting.flag());
    }

    boolean fromEnv(Setting setting) {
      return !fromFlag(setting) && setting.env() != null && !env.getOrDefault(setting.env(), "").isEmpty();
    }

    /** Returns the setting's name as the user gave it: flag, environment variable, or the flag whose default it is. */
    String source(Setting setting) {
      if (fromFlag(setting)) {
        return setting.flag();
      }
      if (fromEnv(setting)) {
        return setting.env();
      }
      return setting.flag() != null ? setting.flag() : setting.env();
    }

    String value(Setting setting) {
      if (fromFlag(setting)) {
        return parsed.matchedOptionValue(setting.flag(), "");
      }
      if (fromEnv(setting)) {
        return env.get(setting.env());
      }
      return setting.defaultValue();
    }

    Optional<String> optional(Setting setting) {
      String value = value(setting);
      return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    boolean bool(Setting setting) {
      return Parsers.bool(source(setting), value(setting));
    }

    long integer(Setting setting, long min) {
      return Parsers.integer(source(setting), value(setting), min, Integer.MAX_VALUE);
    }

    void requireBothOrNeither(Setting one, Setting other) {
      if (optional(one).isPresent() != optional(other).isPresent()) {
        Setting given = optional(one).isPresent() ? one : other;
        Setting missing = given == one ? other : one;
        throw new ConfigException(source(given) + " is set but " + missing.flag() + " (or " + missing.env()
            + ") is not: give both or neither");
      }
    }
  }

  /** Builds the parser from the {@link Setting} table, with Go's flag syntax. */
  private static CommandLine commandLine() {
    CommandSpec spec = CommandSpec.create().name("skydns-server");
    spec.usageMessage()
        .description("Serves DNS for a domain from SkyDNS 2 records in etcd.")
        .width(100)
        .abbreviateSynopsis(true)
        .sortOptions(false)
        .footer(HELP_FOOTER);
    for (Setting setting : Setting.values()) {
      if (setting.flag() == null) {
        continue;
      }
      OptionSpec.Builder option = OptionSpec.builder(setting.flag())
          .type(String.class)
          .description(setting.helpLines().toArray(new String[0]));
      if (setting.isBoolean()) {
        option.arity("0..1").fallbackValue("true").paramLabel("<bool>");
      } else {
        option.arity("1").paramLabel(setting.valueLabel());
      }
      spec.addOption(option.build());
    }
    spec.addOption(OptionSpec.builder("-h", "-help", "--help")
        .usageHelp(true)
        .description("Print this help and exit.")
        .build());
    spec.parser()
        .posixClusteredShortOptionsAllowed(false)
        .overwrittenOptionsAllowed(true) // Go: the last occurrence wins
        .expandAtFiles(false); // an argument starting with @ is a value, not a file to read
    return new CommandLine(spec);
  }

  /** Rewrites {@code --flag} to {@code -flag} for known flags: Go's flag package takes both. */
  private static String[] singleDashed(String[] args) {
    String[] result = args.clone();
    for (int i = 0; i < result.length; i++) {
      String arg = result[i];
      if (arg.startsWith("--") && arg.length() > 2) {
        int equals = arg.indexOf('=');
        String name = arg.substring(1, equals < 0 ? arg.length() : equals);
        if (isFlag(name)) {
          result[i] = arg.substring(1);
        }
      }
    }
    return result;
  }

  private static boolean isFlag(String name) {
    for (Setting setting : Setting.values()) {
      if (name.equals(setting.flag())) {
        return true;
      }
    }
    return false;
  }

  private static String envOnly() {
    StringBuilder text = new StringBuilder();
    for (Setting setting : Setting.values()) {
      if (setting.flag() == null && setting.env() != null) {
        appendFooterRow(text, setting.env(), setting);
      }
    }
    return text.toString();
  }

  private static String etcdOnly() {
    StringBuilder text = new StringBuilder();
    for (Setting setting : Setting.values()) {
      if (setting.flag() == null && setting.env() == null) {
        appendFooterRow(text, setting.etcdKeys().get(0), setting);
      }
    }
    return text.toString();
  }

  // The footer is a format string for picocli: rows end with %n, and help texts hold no '%'.
  private static void appendFooterRow(StringBuilder text, String name, Setting setting) {
    text.append(String.format("  %-22s %s%%n", name, setting.description()));
    text.append(String.format("  %-22s Default: %s%%n", "", setting.shownDefault()));
  }
}
