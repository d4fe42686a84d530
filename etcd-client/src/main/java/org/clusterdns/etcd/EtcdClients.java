package org.clusterdns.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.kv.GetResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Builds jetcd clients from an {@link EtcdConfig} and reads single keys with a time limit.
 *
 * <p>Every setting problem (an unreadable key file, TLS files given for plain-text endpoints, a
 * user without a password) is reported when the client is built, with the setting's name, rather
 * than as a connection failure later.
 */
public final class EtcdClients {
  /**
   * The largest response the client accepts. The whole tree is read in one range read, and
   * gRPC's 4 MiB default is reached at a few ten thousand records.
   */
  private static final int MAX_INBOUND_BYTES = 256 * 1024 * 1024;

  private EtcdClients() {}

  /**
   * Creates a client for the configured endpoints, with TLS when a CA certificate or client
   * certificate is configured or an endpoint uses {@code https}, and with etcd authentication when
   * a username is configured. The caller owns and closes the client.
   *
   * @throws IllegalArgumentException when a setting is unusable; the message names the setting
   */
  public static Client create(EtcdConfig config) {
    boolean https = false;
    boolean http = false;
    for (URI endpoint : config.endpoints()) {
      String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme();
      if (scheme.equals("https")) {
        https = true;
      } else if (scheme.equals("http")) {
        http = true;
      } else {
        throw new IllegalArgumentException("etcd endpoint (-machines/ETCD_MACHINES) '" + endpoint
            + "' must start with http:// or https://");
      }
      if (endpoint.getHost() == null || endpoint.getPort() < 0) {
        throw new IllegalArgumentException("etcd endpoint (-machines/ETCD_MACHINES) '" + endpoint
            + "' needs a host and a port");
      }
    }
    boolean tls = https || config.caCert().isPresent() || config.clientCert().isPresent()
        || config.clientKey().isPresent();
    if (tls && http) {
      throw new IllegalArgumentException("etcd endpoints (-machines/ETCD_MACHINES) mix http:// and"
          + " https://, or TLS files are set for http:// endpoints; use https:// for all of them");
    }

    ClientBuilder builder = Client.builder()
        .endpoints(config.endpoints())
        .maxInboundMessageSize(MAX_INBOUND_BYTES);
    if (tls) {
      configureTls(builder, config);
    }
    if (config.username().isPresent()) {
      if (config.password().isEmpty()) {
        throw new IllegalArgumentException(
            "etcd username (-username/ETCD_USERNAME) is set but the password (-password/ETCD_PASSWORD) is not");
      }
      builder.user(bytes(config.username().get())).password(bytes(config.password().get()));
    } else if (config.password().isPresent()) {
      throw new IllegalArgumentException(
          "etcd password (-password/ETCD_PASSWORD) is set but the username (-username/ETCD_USERNAME) is not");
    }
    return builder.build();
  }

  private static void configureTls(ClientBuilder builder, EtcdConfig config) {
    Optional<Path> ca = config.caCert();
    Optional<Path> cert = config.clientCert();
    Optional<Path> key = config.clientKey();
    if (cert.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException("etcd TLS needs both the client certificate (-tls-pem/ETCD_TLSPEM)"
          + " and the client key (-tls-key/ETCD_TLSKEY), or neither");
    }
    ca.ifPresent(path -> checkReadable(path, "CA certificate (-ca-cert/ETCD_CACERT)"));
    cert.ifPresent(path -> checkReadable(path, "client certificate (-tls-pem/ETCD_TLSPEM)"));
    key.ifPresent(path -> checkReadable(path, "client key (-tls-key/ETCD_TLSKEY)"));
    try {
      // jetcd starts from GrpcSslContexts.forClient(), which sets the ALPN gRPC needs.
      builder.sslContext(ssl -> {
        if (ca.isPresent()) {
          try {
            ssl.trustManager(ca.get().toFile());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("etcd CA certificate (-ca-cert/ETCD_CACERT) "
                + ca.get() + " holds no usable PEM certificate: " + e.getMessage(), e);
          }
        }
        if (cert.isPresent()) {
          try {
            ssl.keyManager(cert.get().toFile(), key.get().toFile());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("etcd client certificate (-tls-pem/ETCD_TLSPEM) " + cert.get()
                + " or client key (-tls-key/ETCD_TLSKEY) " + key.get()
                + " is not usable (the key must be an unencrypted PKCS#8 PEM): " + e.getMessage(), e);
          }
        }
      });
    } catch (SSLException e) {
      throw new IllegalArgumentException("etcd TLS settings are not usable: " + e.getMessage(), e);
    }
  }

  private static void checkReadable(Path path, String setting) {
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalArgumentException("etcd " + setting + " " + path + " is not a readable file");
    }
  }

  /**
   * Reads one key, such as {@code /skydns/config}, waiting at most {@code timeout}.
   *
   * @return the value, or empty when the key does not exist
   * @throws EtcdReadException when etcd does not answer in time or the read fails
   */
  public static Optional<byte[]> readKey(Client client, String key, Duration timeout) {
    try {
      GetResponse response = client.getKVClient().get(bytes(key))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return response.getKvs().stream().findFirst().map(kv -> kv.getValue().getBytes());
    } catch (TimeoutException e) {
      throw new EtcdReadException("etcd did not answer reading " + key + " within " + timeout.toMillis()
          + " ms", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new EtcdReadException("reading " + key + " from etcd failed: " + describe(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdReadException("interrupted while reading " + key + " from etcd", e);
    }
  }

  /**
   * Returns the innermost message of an etcd failure: jetcd and gRPC wrap the useful one ("etcdserver:
   * authentication failed ...") in generic ones ("UNAUTHENTICATED").
   */
  public static String describe(Throwable error) {
    Throwable cause = error;
    String message = null;
    for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
      if (cause instanceof TimeoutException && cause.getMessage() == null) {
        message = "no answer within the request timeout";
      } else if (cause.getMessage() != null) {
        message = cause.getMessage();
      }
    }
    return message != null ? message : error.getClass().getSimpleName();
  }

  /** Returns {@code text} as the UTF-8 bytes jetcd takes for keys and values. */
  public static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
