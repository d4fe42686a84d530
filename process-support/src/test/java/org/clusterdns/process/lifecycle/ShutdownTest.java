package org.clusterdns.process.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownTest {
  @Test
  void closesInOrderAndAFailureDoesNotKeepTheRestOpen() {
    List<String> closed = new ArrayList<>();

    Shutdown.closeAll(List.of(
        () -> closed.add("work"),
        () -> {
          throw new IllegalStateException("API client already gone");
        },
        () -> closed.add("etcd")));

    assertThat(closed).containsExactly("work", "etcd");
  }
}
