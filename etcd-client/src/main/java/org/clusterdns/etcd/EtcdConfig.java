package org.clusterdns.etcd;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach etcd and where the records are.
 *
 * @param endpoints the etcd client URLs ({@code http://127.0.0.1:2379}); one or more
 * @param pathPrefix the key prefix, one path segment ({@code skydns})
 * @param caCert the CA bundle that signed the etcd server certificate, for TLS
 * @param clientCert the client certificate (PEM), for TLS client authentication
 * @param clientKey the client private key (PEM, PKCS#8), for TLS client authentication
 * @param username etcd user for authentication, if any
 * @param password that user's password
 * @param requestTimeout the bound on every etcd call
 */
public record EtcdConfig(
    List<URI> endpoints,
    String pathPrefix,
    Optional<Path> caCert,
    Optional<Path> clientCert,
    Optional<Path> clientKey,
    Optional<String> username,
    Optional<String> password,
    Duration requestTimeout) {

  /** SkyDNS's default endpoint. */
  public static final URI DEFAULT_ENDPOINT = URI.create("http://127.0.0.1:2379");

  /** Copies the endpoint list and checks it is not empty. */
  public EtcdConfig {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one etcd endpoint is needed");
    }
    Objects.requireNonNull(pathPrefix, "pathPrefix");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /** Returns a plain-text, unauthenticated configuration for {@code endpoints}. */
  public static EtcdConfig plain(List<URI> endpoints, String pathPrefix) {
    return new EtcdConfig(endpoints, pathPrefix, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
  }
}
