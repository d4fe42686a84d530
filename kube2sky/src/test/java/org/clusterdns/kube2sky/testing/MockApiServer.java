package org.clusterdns.kube2sky.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric8 mock API server in CRUD mode on a free loopback port, with a client for it.
 *
 * <p>Why not {@code @EnableKubernetesMockClient}: when a client closes a watch, the mock server's
 * watch listener waits for its own executor on the Vert.x event loop, which that executor may need
 * (seen: "vert.x-eventloop-thread-0 has been blocked" in {@code WatchEventsListener.onClosed}); the
 * server's shutdown then times out and the extension fails a test whose assertions all passed.
 * Here a shutdown that times out is logged, not thrown: it is the mock's teardown, not ours.
 */
public final class MockApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MockApiServer.class);

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private MockApiServer(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  /** Starts a CRUD mock API server on 127.0.0.1 (plain HTTP, port 0) and a client for it. */
  public static MockApiServer start() {
    return start(new KubernetesCrudDispatcher(List.of()));
  }

  /** Starts a mock API server on 127.0.0.1 (plain HTTP, port 0) answering through {@code dispatcher}. */
  public static MockApiServer start(KubernetesCrudDispatcher dispatcher) {
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return new MockApiServer(server, server.createClient());
  }

  /** Returns a client of this server (closed with it). */
  public KubernetesClient client() {
    return client;
  }

  /** Returns the server's URL, for clients made elsewhere (another process). */
  public String url() {
    return client.getMasterUrl().toString();
  }

  /** Returns the next request the server received within {@code timeout}, or {@code null}. */
  public RecordedRequest takeRequest(long timeout, TimeUnit unit) throws InterruptedException {
    return server.takeRequest(timeout, unit);
  }

  /** Stops the server now, as an API server that went away. */
  public void stop() {
    destroyQuietly();
  }

  /** Closes the client, then stops the server. */
  @Override
  public void close() {
    client.close();
    destroyQuietly();
  }

  private void destroyQuietly() {
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      log.warn("the mock API server did not shut down in time: {}", e.getMessage());
    }
  }
}
