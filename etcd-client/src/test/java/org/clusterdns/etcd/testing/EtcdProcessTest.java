package org.clusterdns.etcd.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clusterdns.etcd.testing.EtcdProcess.Mode;
import org.junit.jupiter.api.Test;

/** The test support itself: a restart must keep etcd's endpoint even when its port was taken meanwhile. */
class EtcdProcessTest {
  private static final ByteSequence KEY = ByteSequence.from("/skydns/test/kept", StandardCharsets.UTF_8);

  @Test
  void restartWaitsForATakenClientPortAndKeepsTheEndpointAndData() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start(Mode.PLAIN)) {
      try (Client client = etcd.newClient()) {
        client.getKVClient().put(KEY, ByteSequence.from("1", StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
      }
      int clientPort = etcd.endpoint().getPort();
      etcd.stop();

      CompletableFuture<Void> restart;
      try (ServerSocket squatter = new ServerSocket(clientPort, 1, InetAddress.getLoopbackAddress())) {
        restart = CompletableFuture.runAsync(() -> etcd.restart(false));
        await("etcd failing to bind its taken port").atMost(Duration.ofSeconds(20))
            .until(() -> etcd.logTail().contains("address already in use"));
        assertThat(restart).isNotDone();
      }
      restart.get(30, TimeUnit.SECONDS);

      assertThat(etcd.endpoint().getPort()).isEqualTo(clientPort);
      try (Client client = etcd.newClient()) {
        assertThat(client.getKVClient().get(KEY).get(5, TimeUnit.SECONDS).getKvs()).hasSize(1);
      }
    }
  }
}
