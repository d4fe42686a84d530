package org.clusterdns.skydns.config;

import org.clusterdns.etcd.EtcdConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.clusterdns.process.flags.ConfigException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerConfigLoaderTest {
  private static final InetSocketAddress RESOLV_CONF_SERVER = new InetSocketAddress("10.0.0.10", 53);

  @TempDir
  static Path files;

  private static Path resolvConf;
  private static Path keyFile;
  private static Path certFile;
  private static Path caFile;
  private static String dnssecBase;

  @BeforeEach
  void writeFiles() throws IOException {
    resolvConf = Files.writeString(files.resolve("resolv.conf"), "# comment\nsearch example.org\nnameserver 10.0.0.10\n");
    keyFile = Files.writeString(files.resolve("client.key"), "key");
    certFile = Files.writeString(files.resolve("client.pem"), "cert");
    caFile = Files.writeString(files.resolve("ca.pem"), "ca");
    dnssecBase = files.resolve("Kskydns.local.+005+38250").toString();
    Files.writeString(Path.of(dnssecBase + ".key"), "public");
    Files.writeString(Path.of(dnssecBase + ".private"), "private");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static ServerConfigLoader loader(Map<String, String> env) {
    return new ServerConfigLoader(env, resolvConf);
  }

  private static BootstrapConfig bootstrap(Map<String, String> env, String... args) {
    ServerConfigLoader.Result result = loader(env).parse(args);
    assertThat(result).isInstanceOf(ServerConfigLoader.Start.class);
    return ((ServerConfigLoader.Start) result).bootstrap();
  }

  private static ServerConfig load(Map<String, String> env, String etcdJson, String... args) {
    ServerConfigLoader loader = loader(env);
    ServerConfigLoader.Result result = loader.parse(args);
    assertThat(result).isInstanceOf(ServerConfigLoader.Start.class);
    Optional<byte[]> json = Optional.ofNullable(etcdJson).map(text -> text.getBytes(StandardCharsets.UTF_8));
    return loader.complete(((ServerConfigLoader.Start) result).bootstrap(), json);
  }

  private static ServerConfig flags(String... args) {
    return load(Map.of(), null, args);
  }

  private static ServerConfig env(Map<String, String> env) {
    return load(env, null);
  }

  private static ServerConfig etcd(String json) {
    return load(Map.of(), json);
  }

  private static InetSocketAddress address(String ip, int port) {
    return new InetSocketAddress(ip, port);
  }

  // ---- defaults -----------------------------------------------------------------------------

  @Test
  void defaultsAreSkyDnsDefaults() {
    ServerConfig config = load(Map.of(), null);

    AnswerConfig answer = config.answer();
    assertThat(answer.domain()).isEqualTo("skydns.local.");
    assertThat(answer.hostmaster()).isEqualTo("hostmaster.skydns.local.");
    assertThat(answer.defaultTtl()).isEqualTo(3600);
    assertThat(answer.minTtl()).isEqualTo(60);
    assertThat(answer.defaultPriority()).isEqualTo(10);
    assertThat(answer.local()).isEmpty();
    assertThat(answer.roundRobin()).isTrue();
    assertThat(answer.wildcards()).isTrue();
    assertThat(config.listen().address()).isEqualTo(address("127.0.0.1", 53));
    assertThat(config.nameservers()).containsExactly(RESOLV_CONF_SERVER);
    assertThat(config.noRec()).isFalse();
    assertThat(config.ndots()).isEqualTo(2);
    assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.nsRotate()).isTrue();
    assertThat(config.stubZones()).isFalse();
    assertThat(config.dnssecKey()).isEmpty();
    assertThat(config.signatureCacheSize()).isEqualTo(10000);
    assertThat(config.responseCacheSize()).isZero();
    assertThat(config.responseCacheTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.systemd()).isFalse();
    assertThat(config.verbose()).isFalse();
    assertThat(config.etcd().endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"));
    assertThat(config.etcd().pathPrefix()).isEqualTo("skydns");
    assertThat(config.etcd().caCert()).isEmpty();
    assertThat(config.etcd().clientCert()).isEmpty();
    assertThat(config.etcd().clientKey()).isEmpty();
    assertThat(config.etcd().username()).isEmpty();
    assertThat(config.etcd().password()).isEmpty();
    assertThat(config.metrics()).isEqualTo(new MetricsConfig(
        Optional.of(address("127.0.0.1", 8081)), Optional.empty(), "/metrics", "skydns", "skydns"));
  }

  @Test
  void defaultHostmasterFollowsTheDomainNotSkyDnsLocal() {
    assertThat(flags("-domain=cluster.local").answer().hostmaster()).isEqualTo("hostmaster.cluster.local.");
    assertThat(etcd("{\"domain\":\"example.org\"}").answer().hostmaster()).isEqualTo("hostmaster.example.org.");
  }

  @Test
  void bootstrapSaysHowToReachEtcdAndWhereTheConfigObjectIs() {
    BootstrapConfig bootstrap = bootstrap(Map.of("ETCD_MACHINES", "http://10.0.0.1:2379"),
        "-path-prefix=/custom/", "-verbose", "-stubzones");
    assertThat(bootstrap.etcd().endpoints()).containsExactly(URI.create("http://10.0.0.1:2379"));
    assertThat(bootstrap.etcd().pathPrefix()).isEqualTo("custom");
    assertThat(bootstrap.configKey()).isEqualTo("/custom/config");
    assertThat(bootstrap.verbose()).isTrue();
    assertThat(bootstrap.stubZones()).isTrue();
    assertThat(bootstrap.metrics().healthAddress()).contains(address("127.0.0.1", 8081));
  }

  @Test
  void oneBootstrapCanBeCompletedTwiceWithDifferentObjects() {
    ServerConfigLoader loader = loader(Map.of());
    BootstrapConfig bootstrap = ((ServerConfigLoader.Start) loader.parse("-domain=a.example")).bootstrap();
    ServerConfig first = loader.complete(bootstrap, Optional.of("{\"domain\":\"b.example\"}".getBytes(StandardCharsets.UTF_8)));
    ServerConfig second = loader.complete(bootstrap, Optional.empty());
    assertThat(first.answer().domain()).isEqualTo("b.example.");
    assertThat(second.answer().domain()).isEqualTo("a.example.");
  }

  // ---- every flag ---------------------------------------------------------------------------

  static Stream<Arguments> everyFlag() throws IOException {
    return Stream.of(
        flag("-domain=Cluster.Local", c -> c.answer().domain(), "cluster.local."),
        flag("-addr=10.1.2.3:5353", c -> c.listen().address(), address("10.1.2.3", 5353)),
        flag("-addr=[::1]:53", c -> c.listen().address(), address("::1", 53)),
        flag("-nameservers=8.8.8.8:53, [2001:db8::1]:5353", c -> c.nameservers(),
            List.of(address("8.8.8.8", 53), address("2001:db8::1", 5353))),
        flag("-no-rec", c -> c.noRec(), true),
        flag("-machines=http://10.0.0.1:2379,https://etcd.example:2379", c -> c.etcd().endpoints(),
            List.of(URI.create("http://10.0.0.1:2379"), URI.create("https://etcd.example:2379"))),
        flag("-dnssec=" + dnssecBase, c -> c.dnssecKey(), Optional.of(dnssecBase)),
        flag("-local=104.server1.development.region1.skydns.test", c -> c.answer().local(),
            Optional.of("104.server1.development.region1.skydns.test.")),
        flag("-ca-cert=" + caFile, c -> c.etcd().caCert(), Optional.of(caFile)),
        flag("-rtimeout=1m30s", c -> c.readTimeout(), Duration.ofSeconds(90)),
        flag("-rtimeout=500ms", c -> c.readTimeout(), Duration.ofMillis(500)),
        flag("-round-robin=false", c -> c.answer().roundRobin(), false),
        flag("-ns-rotate=false", c -> c.nsRotate(), false),
        flag("-stubzones", c -> c.stubZones(), true),
        flag("-verbose", c -> c.verbose(), true),
        flag("-systemd", c -> c.systemd(), true),
        flag("-hostmaster=dns-admin@example.org", c -> c.answer().hostmaster(), "dns-admin.example.org."),
        flag("-scache=100", c -> c.signatureCacheSize(), 100),
        flag("-rcache=5000", c -> c.responseCacheSize(), 5000),
        flag("-rcache-ttl=30", c -> c.responseCacheTtl(), Duration.ofSeconds(30)),
        flag("-ndots=3", c -> c.ndots(), 3),
        flag("-path-prefix=dns", c -> c.etcd().pathPrefix(), "dns"),
        flag("-etcd3", c -> c.etcd().pathPrefix(), "skydns"),
        flag("-wildcards=false", c -> c.answer().wildcards(), false),
        flag("-health-addr=0.0.0.0:9090", c -> c.metrics().healthAddress(), Optional.of(address("0.0.0.0", 9090))),
        flag("-health-addr=[::1]:0", c -> c.metrics().healthAddress(), Optional.of(address("::1", 0))),
        flag("-health-addr=", c -> c.metrics().healthAddress(), Optional.empty()));
  }

  private static Arguments flag(String arg, Function<ServerConfig, Object> value, Object expected) {
    return Arguments.of(arg, value, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyFlag")
  void everyFlagSetsItsValue(String arg, Function<ServerConfig, Object> value, Object expected) {
    assertThat(value.apply(flags(arg))).isEqualTo(expected);
  }

  @Test
  void tlsAndAuthenticationFlags() {
    EtcdConfig etcd = flags("-tls-key=" + keyFile, "-tls-pem=" + certFile, "-ca-cert=" + caFile,
        "-username=root", "-password=secret").etcd();
    assertThat(etcd.clientKey()).contains(keyFile);
    assertThat(etcd.clientCert()).contains(certFile);
    assertThat(etcd.caCert()).contains(caFile);
    assertThat(etcd.username()).contains("root");
    assertThat(etcd.password()).contains("secret");
  }

  @Test
  void flagValuesMayFollowAsSeparateArgumentsAndWithTwoDashes() {
    ServerConfig config = flags("-domain", "a.example", "--addr", "127.0.0.2:53", "--ndots=4", "--no-rec");
    assertThat(config.answer().domain()).isEqualTo("a.example.");
    assertThat(config.listen().address()).isEqualTo(address("127.0.0.2", 53));
    assertThat(config.ndots()).isEqualTo(4);
    assertThat(config.noRec()).isTrue();
  }

  @Test
  void theLastOccurrenceOfAFlagWinsAsInGo() {
    assertThat(flags("-ndots=3", "-ndots=5").ndots()).isEqualTo(5);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"-round-robin=false", "-round-robin=0", "-round-robin=f", "-round-robin=F",
      "-round-robin=FALSE", "-round-robin=False", "--round-robin=false"})
  void goFalseFormsSwitchABooleanOff(String arg) {
    assertThat(flags(arg).answer().roundRobin()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"-no-rec", "-no-rec=true", "-no-rec=1", "-no-rec=t", "-no-rec=T", "-no-rec=TRUE",
      "-no-rec=True", "--no-rec"})
  void goTrueFormsAndTheBareFlagSwitchABooleanOn(String arg) {
    assertThat(flags(arg).noRec()).isTrue();
  }

  @Test
  void aBareBooleanFlagDoesNotSwallowTheNextFlag() {
    ServerConfig config = flags("-no-rec", "-ndots=4");
    assertThat(config.noRec()).isTrue();
    assertThat(config.ndots()).isEqualTo(4);
  }

  // ---- environment --------------------------------------------------------------------------

  static Stream<Arguments> everyEnvironmentVariable() {
    return Stream.of(
        env("SKYDNS_DOMAIN", "Env.Example", c -> c.answer().domain(), "env.example."),
        env("SKYDNS_ADDR", "127.0.0.9:1053", c -> c.listen().address(), address("127.0.0.9", 1053)),
        env("SKYDNS_NAMESERVERS", "1.1.1.1:53,9.9.9.9:53", c -> c.nameservers(),
            List.of(address("1.1.1.1", 53), address("9.9.9.9", 53))),
        env("ETCD_MACHINES", "http://10.9.9.9:2379", c -> c.etcd().endpoints(), List.of(URI.create("http://10.9.9.9:2379"))),
        env("ETCD_CACERT", caFile.toString(), c -> c.etcd().caCert(), Optional.of(caFile)),
        env("SKYDNS_SYSTEMD", "true", c -> c.systemd(), true),
        env("SKYDNS_NDOTS", "4", c -> c.ndots(), 4),
        env("SKYDNS_PATH_PREFIX", "envprefix", c -> c.etcd().pathPrefix(), "envprefix"),
        env("SKYDNS_WILDCARDS", "false", c -> c.answer().wildcards(), false),
        env("SKYDNS_HEALTH_ADDR", "127.0.0.1:9999", c -> c.metrics().healthAddress(), Optional.of(address("127.0.0.1", 9999))),
        env("PROMETHEUS_PORT", "9153", c -> c.metrics().prometheusPort(), Optional.of(9153)),
        env("PROMETHEUS_PATH", "/prom", c -> c.metrics().prometheusPath(), "/prom"),
        env("PROMETHEUS_NAMESPACE", "cluster", c -> c.metrics().namespace(), "cluster"),
        env("PROMETHEUS_SUBSYSTEM", "dns", c -> c.metrics().subsystem(), "dns"));
  }

  private static Arguments env(String name, String value, Function<ServerConfig, Object> getter, Object expected) {
    return Arguments.of(name, value, getter, expected);
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("everyEnvironmentVariable")
  void everyEnvironmentVariableSetsItsValue(String name, String value, Function<ServerConfig, Object> getter,
      Object expected) {
    assertThat(getter.apply(env(Map.of(name, value)))).isEqualTo(expected);
  }

  @Test
  void tlsAndAuthenticationFromTheEnvironment() {
    EtcdConfig etcd = env(Map.of("ETCD_TLSKEY", keyFile.toString(), "ETCD_TLSPEM", certFile.toString(),
        "ETCD_USERNAME", "root", "ETCD_PASSWORD", "secret")).etcd();
    assertThat(etcd.clientKey()).contains(keyFile);
    assertThat(etcd.clientCert()).contains(certFile);
    assertThat(etcd.username()).contains("root");
    assertThat(etcd.password()).contains("secret");
  }

  @Test
  void anEmptyEnvironmentVariableCountsAsUnset() {
    ServerConfig config = env(Map.of("SKYDNS_DOMAIN", "", "SKYDNS_ADDR", "", "SKYDNS_NDOTS", "",
        "SKYDNS_HEALTH_ADDR", "", "PROMETHEUS_PORT", "", "ETCD_MACHINES", ""));
    assertThat(config.answer().domain()).isEqualTo("skydns.local.");
    assertThat(config.listen().address()).isEqualTo(address("127.0.0.1", 53));
    assertThat(config.ndots()).isEqualTo(2);
    assertThat(config.metrics().healthAddress()).contains(address("127.0.0.1", 8081));
    assertThat(config.metrics().prometheusPort()).isEmpty();
    assertThat(config.etcd().endpoints()).containsExactly(EtcdConfig.DEFAULT_ENDPOINT);
  }

  @Test
  void aFlagBeatsItsEnvironmentVariableEvenWhenItIsInvalid() {
    // The flag wins, so an invalid environment value is never read.
    ServerConfig config = load(Map.of("SKYDNS_ADDR", "not-an-address", "SKYDNS_NDOTS", "x"), null,
        "-addr=127.0.0.3:53", "-ndots=1");
    assertThat(config.listen().address()).isEqualTo(address("127.0.0.3", 53));
    assertThat(config.ndots()).isEqualTo(1);
  }

  // ---- the etcd config object ---------------------------------------------------------------

  static Stream<Arguments> everyEtcdKey() {
    return Stream.of(
        key("{\"dns_addr\":\"127.0.0.5:53\"}", c -> c.listen().address(), address("127.0.0.5", 53)),
        key("{\"dns_addr\":\"\"}", c -> c.listen().address(), address("127.0.0.1", 53)),
        key("{\"systemd\":true}", c -> c.systemd(), true),
        key("{\"domain\":\"Etcd.Example.\"}", c -> c.answer().domain(), "etcd.example."),
        key("{\"domain\":\"\"}", c -> c.answer().domain(), "skydns.local."),
        key("{\"local\":\"host1.skydns.local\"}", c -> c.answer().local(), Optional.of("host1.skydns.local.")),
        key("{\"hostmaster\":\"admin@example.org\"}", c -> c.answer().hostmaster(), "admin.example.org."),
        key("{\"dnssec\":\"" + dnssecBase.replace("\\", "\\\\") + "\"}", c -> c.dnssecKey(), Optional.of(dnssecBase)),
        key("{\"round_robin\":false}", c -> c.answer().roundRobin(), false),
        key("{\"ns_rotate\":false}", c -> c.nsRotate(), false),
        key("{\"nameservers\":[\"8.8.4.4:53\",\"[::1]:5353\"]}", c -> c.nameservers(),
            List.of(address("8.8.4.4", 53), address("::1", 5353))),
        key("{\"nameservers\":[]}", c -> c.nameservers(), List.of(RESOLV_CONF_SERVER)),
        key("{\"no_rec\":true}", c -> c.noRec(), true),
        key("{\"read_timeout\":3000000000}", c -> c.readTimeout(), Duration.ofSeconds(3)),
        key("{\"read_timeout\":\"3s\"}", c -> c.readTimeout(), Duration.ofSeconds(3)),
        key("{\"read_timeout\":0}", c -> c.readTimeout(), Duration.ofSeconds(2)),
        key("{\"priority\":20}", c -> c.answer().defaultPriority(), 20),
        key("{\"priority\":0}", c -> c.answer().defaultPriority(), 10),
        key("{\"ttl\":30}", c -> c.answer().defaultTtl(), 30L),
        key("{\"ttl\":0}", c -> c.answer().defaultTtl(), 3600L),
        key("{\"ttl\":4294967295}", c -> c.answer().defaultTtl(), 4294967295L),
        key("{\"min_ttl\":5}", c -> c.answer().minTtl(), 5L),
        key("{\"min_ttl\":0}", c -> c.answer().minTtl(), 60L),
        key("{\"scache\":50}", c -> c.signatureCacheSize(), 50),
        key("{\"scache\":-1}", c -> c.signatureCacheSize(), 0),
        key("{\"rcache\":100}", c -> c.responseCacheSize(), 100),
        key("{\"rcache\":-1}", c -> c.responseCacheSize(), 0),
        key("{\"rcache_ttl\":10}", c -> c.responseCacheTtl(), Duration.ofSeconds(10)),
        key("{\"rcache_ttl\":0}", c -> c.responseCacheTtl(), Duration.ofSeconds(60)),
        key("{\"ndot\":4}", c -> c.ndots(), 4),
        key("{\"ndots\":5}", c -> c.ndots(), 5),
        key("{\"ndot\":0}", c -> c.ndots(), 2),
        key("{\"ndot\":-3}", c -> c.ndots(), 2),
        key("{\"wildcards\":false}", c -> c.answer().wildcards(), false),
        key("{\"DOMAIN\":\"upper.example\"}", c -> c.answer().domain(), "upper.example."),
        key("{\"Round_Robin\":false}", c -> c.answer().roundRobin(), false),
        key("{\"domain\":\"first.example\",\"Domain\":\"second.example\"}", c -> c.answer().domain(), "second.example."),
        key("{\"domain\":null}", c -> c.answer().domain(), "skydns.local."),
        key("{\"no_such_key\":1,\"etcd3\":true,\"version\":true}", c -> c.answer().domain(), "skydns.local."),
        key("{}", c -> c.answer().domain(), "skydns.local."));
  }

  private static Arguments key(String json, Function<ServerConfig, Object> getter, Object expected) {
    return Arguments.of(json, getter, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyEtcdKey")
  void everyEtcdKeySetsItsValue(String json, Function<ServerConfig, Object> getter, Object expected) {
    assertThat(getter.apply(etcd(json))).isEqualTo(expected);
  }

  @Test
  void precedenceIsEtcdThenFlagThenEnvironmentThenDefault() {
    Map<String, String> env = Map.of("SKYDNS_DOMAIN", "env.example", "SKYDNS_ADDR", "127.0.0.2:53",
        "SKYDNS_NDOTS", "3");
    ServerConfig config = load(env, "{\"domain\":\"etcd.example\"}", "-domain=flag.example", "-addr=127.0.0.4:53");
    assertThat(config.answer().domain()).as("etcd over flag").isEqualTo("etcd.example.");
    assertThat(config.listen().address()).as("flag over environment").isEqualTo(address("127.0.0.4", 53));
    assertThat(config.ndots()).as("environment over default").isEqualTo(3);
    assertThat(config.nsRotate()).as("default").isTrue();
  }

  @Test
  void absentKeysLeaveFlagValuesAlone() {
    ServerConfig config = load(Map.of(), "{\"ttl\":10}", "-domain=flag.example", "-round-robin=false");
    assertThat(config.answer().domain()).isEqualTo("flag.example.");
    assertThat(config.answer().roundRobin()).isFalse();
    assertThat(config.answer().defaultTtl()).isEqualTo(10);
  }

  @Test
  void etcdNameserversReplaceTheFlagListEntirely() {
    ServerConfig config = load(Map.of(), "{\"nameservers\":[\"9.9.9.9:53\"]}", "-nameservers=1.1.1.1:53,8.8.8.8:53");
    assertThat(config.nameservers()).containsExactly(address("9.9.9.9", 53));
  }

  // ---- after-load defaults ------------------------------------------------------------------

  @Test
  void zeroAndNegativeValuesTakeSkyDnsDefaults() {
    ServerConfig config = flags("-rtimeout=0", "-rcache-ttl=0", "-ndots=0", "-scache=-5", "-rcache=-1");
    assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.responseCacheTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.ndots()).isEqualTo(2);
    assertThat(config.signatureCacheSize()).isZero();
    assertThat(config.responseCacheSize()).isZero();
    assertThat(flags("-ndots=-1").ndots()).isEqualTo(2);
  }

  @Test
  void nameserversComeFromResolvConfOnlyWhenNoneAreConfigured() throws IOException {
    Files.writeString(resolvConf, "nameserver 192.0.2.1\n; comment\nnameserver 2001:db8::53\n"
        + "nameserver fe80::1%eth0\nnameserver\noptions ndots:5\n  nameserver   192.0.2.2  \n");
    assertThat(flags().nameservers())
        .containsExactly(address("192.0.2.1", 53), address("2001:db8::53", 53), address("192.0.2.2", 53));
    assertThat(flags("-nameservers=192.0.2.9:53").nameservers()).containsExactly(address("192.0.2.9", 53));
  }

  @Test
  void aMissingResolvConfGivesNoNameservers() {
    ServerConfigLoader loader = new ServerConfigLoader(Map.of(), files.resolve("absent"));
    BootstrapConfig bootstrap = ((ServerConfigLoader.Start) loader.parse()).bootstrap();
    assertThat(loader.complete(bootstrap, Optional.empty()).nameservers()).isEmpty();
  }

  @Test
  void anUnreadableResolvConfStopsStartUpNamingTheFile() {
    ServerConfigLoader loader = new ServerConfigLoader(Map.of(), files); // a directory cannot be read as a file
    BootstrapConfig bootstrap = ((ServerConfigLoader.Start) loader.parse()).bootstrap();
    assertThatThrownBy(() -> loader.complete(bootstrap, Optional.empty()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(files.toString());
  }

  // ---- validation ---------------------------------------------------------------------------

  static Stream<Arguments> invalidFlags() {
    return Stream.of(
        invalid("-addr", "localhost:53"),
        invalid("-addr", "127.0.0.1:0"),
        invalid("-addr", "127.0.0.1:65536"),
        invalid("-addr", "127.0.0.1"),
        invalid("-addr", "::1:53"),
        invalid("-addr", "[127.0.0.1]:53"),
        invalid("-addr", "127.0.0.1:x"),
        invalid("-addr", "256.0.0.1:53"),
        invalid("-addr", ":53"),
        invalid("-addr", ""),
        invalid("-nameservers", "8.8.8.8"),
        invalid("-nameservers", "dns.google:53"),
        invalid("-machines", "127.0.0.1:2379"),
        invalid("-machines", "ftp://127.0.0.1:2379"),
        invalid("-machines", "http://"),
        invalid("-machines", ","),
        invalid("-machines", "http://a b"),
        invalid("-rtimeout", "2"),
        invalid("-rtimeout", "-1s"),
        invalid("-rtimeout", "soon"),
        invalid("-domain", "foo..bar"),
        invalid("-domain", "a b.example"),
        invalid("-domain", "a/b.example"),
        invalid("-domain", "*.example"),
        invalid("-domain", "x".repeat(64) + ".example"),
        invalid("-domain", ("abcdefghi" + ".").repeat(26)),
        invalid("-local", "host one"),
        invalid("-hostmaster", "a..b@example.org"),
        invalid("-path-prefix", "a/b"),
        invalid("-path-prefix", "/"),
        invalid("-ndots", "two"),
        invalid("-ndots", "99999999999"),
        invalid("-scache", "1.5"),
        invalid("-rcache", "lots"),
        invalid("-rcache-ttl", "-1"),
        invalid("-round-robin", "yes"),
        invalid("-no-rec", "maybe"),
        invalid("-systemd", "on"),
        invalid("-wildcards", "off"),
        invalid("-etcd3", "v3"),
        invalid("-verbose", "2"),
        invalid("-stubzones", "no"),
        invalid("-ns-rotate", "nope"),
        invalid("-tls-key", "/nonexistent/client.key"),
        invalid("-tls-pem", "/nonexistent/client.pem"),
        invalid("-ca-cert", "/nonexistent/ca.pem"),
        invalid("-dnssec", "/nonexistent/Kexample"),
        invalid("-health-addr", "localhost:8081"),
        invalid("-health-addr", "127.0.0.1:65536"));
  }

  private static Arguments invalid(String flag, String value) {
    return Arguments.of(flag, value);
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("invalidFlags")
  void anInvalidFlagIsRefusedNamingTheFlagAndTheValue(String flag, String value) {
    assertThatThrownBy(() -> loader(Map.of()).parse(flag + "=" + value))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(flag + ":")
        .hasMessageContaining("'" + value.substring(0, Math.min(value.length(), 100)));
  }

  static Stream<Arguments> invalidEnvironment() {
    return Stream.of(
        invalid("SKYDNS_DOMAIN", "a..b"),
        invalid("SKYDNS_ADDR", "localhost:53"),
        invalid("SKYDNS_NAMESERVERS", "8.8.8.8"),
        invalid("ETCD_MACHINES", "etcd:2379"),
        invalid("ETCD_TLSKEY", "/nonexistent/key"),
        invalid("ETCD_TLSPEM", "/nonexistent/pem"),
        invalid("ETCD_CACERT", "/nonexistent/ca"),
        invalid("SKYDNS_SYSTEMD", "yes"),
        invalid("SKYDNS_NDOTS", "two"),
        invalid("SKYDNS_PATH_PREFIX", "a/b"),
        invalid("SKYDNS_WILDCARDS", "off"),
        invalid("SKYDNS_HEALTH_ADDR", "8081"),
        invalid("PROMETHEUS_PORT", "http"),
        invalid("PROMETHEUS_PORT", "70000"),
        invalid("PROMETHEUS_PORT", "-1"),
        invalid("PROMETHEUS_PATH", "metrics"),
        invalid("PROMETHEUS_PATH", "/healthz"),
        invalid("PROMETHEUS_PATH", "/a b"),
        invalid("PROMETHEUS_NAMESPACE", "1skydns"),
        invalid("PROMETHEUS_SUBSYSTEM", "sky-dns"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("invalidEnvironment")
  void anInvalidEnvironmentVariableIsRefusedNamingTheVariableAndTheValue(String name, String value) {
    assertThatThrownBy(() -> loader(Map.of(name, value)).parse())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(name + ":")
        .hasMessageContaining("'" + value + "'");
  }

  static Stream<Arguments> invalidEtcdObjects() {
    return Stream.of(
        invalid("dns_addr", "{\"dns_addr\":\"localhost:53\"}"),
        invalid("dns_addr", "{\"dns_addr\":53}"),
        invalid("domain", "{\"domain\":5}"),
        invalid("domain", "{\"domain\":\"a..b\"}"),
        invalid("Domain", "{\"Domain\":[\"a\"]}"),
        invalid("local", "{\"local\":\"a b\"}"),
        invalid("hostmaster", "{\"hostmaster\":true}"),
        invalid("dnssec", "{\"dnssec\":\"/nonexistent/K\"}"),
        invalid("systemd", "{\"systemd\":\"true\"}"),
        invalid("round_robin", "{\"round_robin\":1}"),
        invalid("ns_rotate", "{\"ns_rotate\":\"false\"}"),
        invalid("no_rec", "{\"no_rec\":0}"),
        invalid("wildcards", "{\"wildcards\":\"no\"}"),
        invalid("nameservers", "{\"nameservers\":\"8.8.8.8:53\"}"),
        invalid("nameservers", "{\"nameservers\":[\"8.8.8.8\"]}"),
        invalid("nameservers", "{\"nameservers\":[53]}"),
        invalid("read_timeout", "{\"read_timeout\":\"2\"}"),
        invalid("read_timeout", "{\"read_timeout\":-5}"),
        invalid("read_timeout", "{\"read_timeout\":1.5}"),
        invalid("read_timeout", "{\"read_timeout\":\"-2s\"}"),
        invalid("read_timeout", "{\"read_timeout\":true}"),
        invalid("priority", "{\"priority\":65536}"),
        invalid("priority", "{\"priority\":-1}"),
        invalid("ttl", "{\"ttl\":4294967296}"),
        invalid("ttl", "{\"ttl\":-1}"),
        invalid("ttl", "{\"ttl\":\"60\"}"),
        invalid("min_ttl", "{\"min_ttl\":1e3}"),
        invalid("scache", "{\"scache\":99999999999}"),
        invalid("rcache", "{\"rcache\":\"big\"}"),
        invalid("rcache_ttl", "{\"rcache_ttl\":-1}"),
        invalid("ndot", "{\"ndot\":\"2\"}"),
        invalid("ndots", "{\"ndots\":2.5}"),
        invalid("ttl", "{\"ttl\":123456789012345678901234567890}"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidEtcdObjects")
  void anInvalidEtcdValueIsRefusedNamingTheKey(String key, String json) {
    assertThatThrownBy(() -> etcd(json))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("etcd /skydns/config key '" + key + "':")
        .hasMessageContaining("invalid value");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "{", "not json", "[]", "\"domain\"", "42", "null", "{} {}", "{\"domain\":\"a\"} x",
      "{\"domain\":\"a\",}", "\u0000\u0001"})
  void anEtcdObjectThatIsNotAJsonObjectIsRefusedNamingTheKey(String json) {
    assertThatThrownBy(() -> etcd(json))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("etcd /skydns/config:");
  }

  @Test
  void aLongInvalidValueIsCutInTheMessage() {
    String value = "x".repeat(5000);
    assertThatThrownBy(() -> loader(Map.of()).parse("-domain=" + value))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("x".repeat(100) + "...")
        .matches(e -> e.getMessage().length() < 300, "message is short");
  }

  @Test
  void aBadNameserverInAListIsNamed() {
    assertThatThrownBy(() -> loader(Map.of()).parse("-nameservers=8.8.8.8:53,dns.google:53"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("-nameservers:")
        .hasMessageContaining("'dns.google:53'");
  }

  @Test
  void tlsKeyWithoutCertificateIsRefusedNamingBoth() {
    assertThatThrownBy(() -> loader(Map.of()).parse("-tls-key=" + keyFile))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("-tls-key")
        .hasMessageContaining("-tls-pem");
    assertThatThrownBy(() -> loader(Map.of("ETCD_TLSPEM", certFile.toString())).parse())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ETCD_TLSPEM")
        .hasMessageContaining("-tls-key");
  }

  @Test
  void usernameWithoutPasswordIsRefusedNamingBoth() {
    assertThatThrownBy(() -> loader(Map.of()).parse("-username=root"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("-username")
        .hasMessageContaining("-password");
  }

  @Test
  void aDnssecKeyWithoutItsPrivateFileIsRefused() throws IOException {
    Files.delete(Path.of(dnssecBase + ".private"));
    assertThatThrownBy(() -> loader(Map.of()).parse("-dnssec=" + dnssecBase))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("-dnssec:")
        .hasMessageContaining(".private");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"-no-such-flag", "-ndot=2", "-Domain=x", "positional", "-domain"})
  void unknownFlagsStrayArgumentsAndMissingValuesAreRefused(String arg) {
    assertThatThrownBy(() -> loader(Map.of()).parse(arg))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg)
        .hasMessageContaining("-help");
  }

  // ---- help and version ---------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"-h", "-help", "--help"})
  void helpIsReturnedForTheCallerToPrint(String arg) {
    ServerConfigLoader.Result result = loader(Map.of()).parse("-addr=invalid", arg);
    assertThat(result).isEqualTo(new ServerConfigLoader.ShowHelp(ServerConfigLoader.usage()));
  }

  @Test
  void helpListsEveryFlagEnvironmentVariableAndEtcdKeyWithItsDefault() {
    String help = ServerConfigLoader.usage();
    List<String> missing = new ArrayList<>();
    for (Setting setting : Setting.values()) {
      List<String> expected = new ArrayList<>(setting.etcdKeys());
      if (setting.flag() != null) {
        expected.add(setting.flag() + (setting.isBoolean() ? "[=<bool>]" : "=" + setting.valueLabel()));
      }
      if (setting.env() != null) {
        expected.add(setting.env());
      }
      expected.add(setting.description());
      expected.add("Default: " + setting.shownDefault());
      for (String text : expected) {
        if (!help.replaceAll("\\s+", " ").contains(text.replaceAll("\\s+", " "))) {
          missing.add(setting + ": " + text);
        }
      }
    }
    assertThat(missing).isEmpty();
    assertThat(help).contains("Default: skydns.local.", "Default: 127.0.0.1:53", "Default: 10000",
        "Environment: SKYDNS_NDOTS", "etcd key: ndot or ndots", "-h, -help, --help");
  }

  @Test
  void versionIsReturnedBeforeAnyValueIsChecked() {
    assertThat(loader(Map.of()).parse("-version", "-addr=invalid"))
        .isEqualTo(new ServerConfigLoader.ShowVersion("skydns server version: 2.5.3a (clusterdns skydns-server)"));
    assertThat(loader(Map.of()).parse("-version=false")).isInstanceOf(ServerConfigLoader.Start.class);
  }

  @Test
  void anArgumentStartingWithAtIsAValueNotAFileToExpand() {
    assertThatThrownBy(() -> loader(Map.of()).parse("-domain", "@/etc/passwd"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("-domain:");
  }
}
