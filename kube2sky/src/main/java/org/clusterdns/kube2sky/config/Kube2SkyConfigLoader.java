package org.clusterdns.kube2sky.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusterdns.etcd.EtcdConfig;
import org.clusterdns.process.flags.ConfigException;
import org.clusterdns.process.flags.GoSyntax;
import org.clusterdns.process.flags.ReadableFiles;
import org.clusterdns.records.EtcdPath;
import org.clusterdns.records.IpLiterals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Reads kube2sky's command line (the original's double-dash flags, underscore spellings too) and
 * its environment variables (flag over variable over default; an empty variable counts as unset)
 * into a validated {@link Kube2SkyConfig}.
 *
 * <p>Every invalid value raises a {@link ConfigException} naming the flag or variable and the
 * value. The loader never exits the process and never prints.
 */
public final class Kube2SkyConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(Kube2SkyConfigLoader.class);
  private static final Pattern DOMAIN_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");
  private static final String HELP_FOOTER = "%nFlags may also be written with underscores (--etcd_server). An empty%n"
      + "environment variable counts as unset.%n";

  private final Map<String, String> env;

  /** Creates a loader that reads {@code env} as the environment. */
  public Kube2SkyConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** Returns a loader for this process's environment. */
  public static Kube2SkyConfigLoader forThisProcess() {
    return new Kube2SkyConfigLoader(System.getenv());
  }

  /** What the command line asks for. */
  public sealed interface Result permits Start, ShowHelp, ShowVersion {}

  /** Start kube2sky with {@code config}. */
  public record Start(Kube2SkyConfig config) implements Result {}

  /** Print {@code text} (the help) and exit with status 0. */
  public record ShowHelp(String text) implements Result {}

  /** Print {@code text} (the version line) and exit with status 0. */
  public record ShowVersion(String text) implements Result {}

  /** Returns the help text: every flag with its meaning, default and environment variable. */
  public static String usage() {
    return commandLine().getUsageMessage();
  }

  /** Returns the version line: the jar's implementation version, or {@code dev} outside a jar. */
  public static String versionLine() {
    String version = Kube2SkyConfigLoader.class.getPackage().getImplementationVersion();
    return "kube2sky version: " + (version == null ? "dev" : version) + " (clusterdns)";
  }

  /**
   * Reads {@code args} and the environment: help or version when asked for, else the validated
   * configuration.
   *
   * @throws ConfigException for an unknown flag, a missing value or an invalid value
   */
  public Result parse(String... args) {
    CommandLine commandLine = commandLine();
    ParseResult parsed;
    try {
      parsed = commandLine.parseArgs(dashed(args));
    } catch (ParameterException e) {
      throw new ConfigException(e.getMessage() + " (see --help)");
    }
    if (commandLine.isUsageHelpRequested()) {
      return new ShowHelp(usage());
    }
    if (commandLine.isVersionHelpRequested()) {
      return new ShowVersion(versionLine());
    }
    Inputs in = new Inputs(parsed);
    return new Start(new Kube2SkyConfig(
        domain(in.source(Flag.DOMAIN), in.value(Flag.DOMAIN)),
        etcd(in),
        in.optional(Flag.KUBE_MASTER_URL).map(value -> masterUrl(in.source(Flag.KUBE_MASTER_URL), value)),
        in.optional(Flag.KUBECFG_FILE).map(value -> ReadableFiles.require(in.source(Flag.KUBECFG_FILE), value)),
        new InetSocketAddress(
            ipAddress(in.source(Flag.HEALTHZ_BIND_ADDRESS), in.value(Flag.HEALTHZ_BIND_ADDRESS)),
            port(in.source(Flag.HEALTHZ_PORT), in.value(Flag.HEALTHZ_PORT))),
        positiveDuration(in.source(Flag.RESYNC_PERIOD), in.value(Flag.RESYNC_PERIOD)),
        bool(in.source(Flag.LEGACY_NAMES), in.value(Flag.LEGACY_NAMES)),
        transactionSize(in.source(Flag.ETCD_MAX_TXN_OPS), in.value(Flag.ETCD_MAX_TXN_OPS))));
  }

  private static EtcdConfig etcd(Inputs in) {
    List<URI> endpoints = new ArrayList<>();
    for (String value : in.values(Flag.ETCD_SERVER)) {
      endpoints.addAll(endpoints(in.source(Flag.ETCD_SERVER), value));
    }
    in.requireBothOrNeither(Flag.TLS_KEY, Flag.TLS_PEM);
    in.requireBothOrNeither(Flag.USERNAME, Flag.PASSWORD);
    return new EtcdConfig(
        endpoints,
        pathPrefix(in.source(Flag.PATH_PREFIX), in.value(Flag.PATH_PREFIX)),
        in.optional(Flag.CA_CERT).map(value -> ReadableFiles.require(in.source(Flag.CA_CERT), value)),
        in.optional(Flag.TLS_PEM).map(value -> ReadableFiles.require(in.source(Flag.TLS_PEM), value)),
        in.optional(Flag.TLS_KEY).map(value -> ReadableFiles.require(in.source(Flag.TLS_KEY), value)),
        in.optional(Flag.USERNAME),
        in.optional(Flag.PASSWORD),
        positiveDuration(in.source(Flag.ETCD_REQUEST_TIMEOUT), in.value(Flag.ETCD_REQUEST_TIMEOUT)));
  }

  // ---- value parsers: each names the flag (or variable) and the value when it refuses ----------

  /** Reads the cluster domain: DNS labels of letters, digits and inner hyphens, made lower-case and absolute. */
  private static String domain(String source, String value) {
    String name = value.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.isEmpty()) {
      throw ConfigException.invalid(source, value, "a domain is needed, such as cluster.local");
    }
    if (name.length() > 253) {
      throw ConfigException.invalid(source, value, "a domain name has at most 253 characters");
    }
    for (String label : name.split("\\.", -1)) {
      if (!DOMAIN_LABEL.matcher(label).matches()) {
        throw ConfigException.invalid(source, value,
            "not a domain name (labels of 1-63 letters, digits and inner '-', separated by dots)");
      }
      if (EtcdPath.isWildcardLabel(label)) {
        throw ConfigException.invalid(source, value,
            "'" + label + "' is a SkyDNS wildcard label: no name under this domain could be looked up");
      }
    }
    return name + ".";
  }

  /** Reads a comma-separated list of etcd URLs, each http or https with a host and a port; at least one. */
  private static List<URI> endpoints(String source, String value) {
    List<URI> endpoints = new ArrayList<>();
    for (String item : value.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      String text = item.strip();
      URI uri = uri(source, value, text);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null || uri.getPort() < 0) {
        throw ConfigException.invalid(source, value, "'" + text + "' is not an http:// or https:// URL with host and port");
      }
      endpoints.add(uri);
    }
    if (endpoints.isEmpty()) {
      throw ConfigException.invalid(source, value, "at least one etcd endpoint is needed");
    }
    return endpoints;
  }

  /** Reads the API server URL after expanding environment variables, as kube2sky did; it needs a scheme and a host. */
  private URI masterUrl(String source, String value) {
    String expanded = expandEnv(value);
    URI uri = uri(source, value, expanded);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw ConfigException.invalid(source, value,
          "'" + expanded + "' (after expanding variables) is not an http:// or https:// URL with a host");
    }
    return uri;
  }

  /** Replaces {@code ${NAME}} and {@code $NAME} with the variable's value, or nothing when it is unset (Go's os.ExpandEnv). */
  String expandEnv(String text) {
    Matcher matcher = ENV_REFERENCE.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
      matcher.appendReplacement(result, Matcher.quoteReplacement(env.getOrDefault(name, "")));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  private static URI uri(String source, String value, String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw ConfigException.invalid(source, value, "'" + text + "' is not a URL");
    }
  }

  /** Reads the path of a file that must be readable now. */

  /** Reads a literal IP address; host names are refused, so nothing here depends on a resolver. */
  private static InetAddress ipAddress(String source, String value) {
    return IpLiterals.parse(value)
        .orElseThrow(() -> ConfigException.invalid(source, value, "not a literal IP address"));
  }

  /** Reads a port from 0 (any free port) to 65535. */
  private static int port(String source, String value) {
    if (!value.matches("[0-9]{1,5}") || Integer.parseInt(value) > 65535) {
      throw ConfigException.invalid(source, value, "must be a number from 0 to 65535");
    }
    return Integer.parseInt(value);
  }

  /**
   * Reads the most operations per etcd transaction. At least 2, so that a put and a delete fit
   * together; at most 1,000,000, far beyond what etcd's request size limit lets through anyway.
   */
  private static int transactionSize(String source, String value) {
    int operations = value.matches("[0-9]{1,7}") ? Integer.parseInt(value) : 0;
    if (operations < 2 || operations > 1_000_000) {
      throw ConfigException.invalid(source, value, "must be a number from 2 to 1000000, at most etcd's --max-txn-ops");
    }
    return operations;
  }

  /** Reads a positive duration in Go's syntax. */
  private static Duration positiveDuration(String source, String value) {
    Duration duration;
    try {
      duration = GoSyntax.parseDuration(value);
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid(source, value, e.getMessage());
    }
    if (duration.isNegative() || duration.isZero()) {
      throw ConfigException.invalid(source, value, "must be positive");
    }
    return duration;
  }

  private static boolean bool(String source, String value) {
    try {
      return GoSyntax.parseBool(value);
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid(source, value, e.getMessage());
    }
  }

  /** Reads the etcd path prefix, one path segment; surrounding slashes are dropped. */
  private static String pathPrefix(String source, String value) {
    try {
      return new EtcdPath(value).prefix();
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid(source, value, "must be one non-empty path segment such as skydns");
    }
  }

  /** Where each flag's text comes from: the flag if given, else a non-empty environment variable, else the default. */
  private final class Inputs {
    private final ParseResult parsed;

    Inputs(ParseResult parsed) {
      this.parsed = parsed;
    }

    private boolean fromFlag(Flag flag) {
      return parsed.hasMatchedOption(flag.option());
    }

    private boolean fromEnv(Flag flag) {
      return !fromFlag(flag) && flag.env() != null && !env.getOrDefault(flag.env(), "").isEmpty();
    }

    /** Returns the name the value came under: the flag, or the environment variable; the flag for defaults. */
    String source(Flag flag) {
      return fromEnv(flag) ? flag.env() : flag.option();
    }

    /** Returns every value given: each occurrence of the flag, or the variable, or the default. */
    List<String> values(Flag flag) {
      if (fromFlag(flag)) {
        return parsed.matchedOption(flag.option()).stringValues();
      }
      return List.of(fromEnv(flag) ? env.get(flag.env()) : flag.defaultValue());
    }

    /** Returns the value given last, as Go's flag package keeps it. */
    String value(Flag flag) {
      List<String> values = values(flag);
      return values.get(values.size() - 1);
    }

    Optional<String> optional(Flag flag) {
      String value = value(flag);
      return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    void requireBothOrNeither(Flag one, Flag other) {
      if (optional(one).isPresent() != optional(other).isPresent()) {
        Flag given = optional(one).isPresent() ? one : other;
        Flag missing = given == one ? other : one;
        throw new ConfigException(source(given) + " is set but " + missing.option() + " (or " + missing.env()
            + ") is not: give both or neither");
      }
    }
  }

  /** Builds the parser from the {@link Flag} table. */
  private static CommandLine commandLine() {
    CommandSpec spec = CommandSpec.create().name("kube2sky");
    spec.interpolateVariables(false); // help texts show ${VAR} literally
    spec.usageMessage()
        .description("Publishes the cluster's Services as SkyDNS 2 records in etcd.")
        .width(100)
        .abbreviateSynopsis(true)
        .sortOptions(false)
        .footer(HELP_FOOTER);
    for (Flag flag : Flag.values()) {
      OptionSpec.Builder option = OptionSpec.builder(flag.option()).description(flag.helpLines());
      if (flag == Flag.ETCD_SERVER) {
        option.type(List.class).auxiliaryTypes(String.class).arity("1").paramLabel(flag.valueLabel());
      } else if (flag.isBoolean()) {
        option.type(String.class).arity("0..1").fallbackValue("true").paramLabel("<bool>");
      } else {
        option.type(String.class).arity("1").paramLabel(flag.valueLabel());
      }
      spec.addOption(option.build());
    }
    spec.addOption(OptionSpec.builder("--version").versionHelp(true).description("Print the version and exit.").build());
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Print this help and exit.").build());
    spec.parser()
        .posixClusteredShortOptionsAllowed(false)
        .overwrittenOptionsAllowed(true) // the last occurrence wins, as with Go's flag packages
        .expandAtFiles(false); // an argument starting with @ is a value, not a file to read
    return new CommandLine(spec);
  }

  /**
   * Rewrites {@code --flag_name} to {@code --flag-name}, as kube2sky's flag library normalised
   * them, with a warning; values are left alone.
   */
  private static String[] dashed(String[] args) {
    String[] result = args.clone();
    for (int i = 0; i < result.length; i++) {
      String arg = result[i];
      if (!arg.startsWith("--")) {
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      Optional<Flag> flag = flag(name.replace('_', '-'));
      if (flag.isPresent() && !name.equals(flag.get().option())) {
        LOG.warn("Flag {} is spelled {} now; accepted", name, flag.get().option());
        result[i] = flag.get().option() + (equals < 0 ? "" : arg.substring(equals));
      }
      if (flag.isPresent() && equals < 0 && !flag.get().isBoolean()) {
        i++; // the next argument is this flag's value, even when it looks like a flag
      }
    }
    return result;
  }

  private static Optional<Flag> flag(String option) {
    for (Flag flag : Flag.values()) {
      if (flag.option().equals(option)) {
        return Optional.of(flag);
      }
    }
    return Optional.empty();
  }
}
