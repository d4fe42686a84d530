package org.clusterdns.etcd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA with a server certificate for {@code 127.0.0.1} and a client certificate,
 * made with the {@code openssl} command. Keys are EC P-256 in unencrypted PKCS#8 PEM, the form
 * Netty and gRPC read.
 *
 * @param caCert the CA certificate that signed both others
 * @param serverCert the server certificate, valid for IP {@code 127.0.0.1}
 * @param serverKey the server's key
 * @param clientCert the client certificate
 * @param clientKey the client's key
 */
public record TestCertificates(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

  /** Creates the CA and both certificates in {@code directory}. */
  public static TestCertificates create(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path caKey = directory.resolve("ca.key");
    TestCertificates files = new TestCertificates(directory.resolve("ca.pem"),
        directory.resolve("server.pem"), directory.resolve("server.key"),
        directory.resolve("client.pem"), directory.resolve("client.key"));
    openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", caKey.toString(), "-out", files.caCert.toString(), "-days", "2",
        "-subj", "/CN=clusterdns test CA");
    issue(directory, caKey, files, "server", files.serverCert, files.serverKey,
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
    issue(directory, caKey, files, "client", files.clientCert, files.clientKey,
        "extendedKeyUsage=clientAuth\n");
    return files;
  }

  private static void issue(Path directory, Path caKey, TestCertificates files, String name, Path cert,
      Path key, String extensions) throws IOException {
    Path rawKey = directory.resolve(name + "-raw.key");
    Path request = directory.resolve(name + ".csr");
    Path extensionFile = directory.resolve(name + ".ext");
    Files.writeString(extensionFile, extensions, StandardCharsets.US_ASCII);
    openssl(directory, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", rawKey.toString(), "-out", request.toString(), "-subj", "/CN=" + name);
    openssl(directory, "x509", "-req", "-in", request.toString(), "-CA", files.caCert.toString(),
        "-CAkey", caKey.toString(), "-CAcreateserial", "-out", cert.toString(), "-days", "2",
        "-extfile", extensionFile.toString());
    // Older openssl versions write SEC1 ("EC PRIVATE KEY"); Netty needs PKCS#8.
    openssl(directory, "pkcs8", "-topk8", "-nocrypt", "-in", rawKey.toString(), "-out", key.toString());
  }

  private static void openssl(Path directory, String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    try {
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed:\n" + new String(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted running openssl", e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
