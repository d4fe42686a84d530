package org.clusterdns.process.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FatalErrorsTest {
  private final AtomicInteger halts = new AtomicInteger();
  private final FatalErrors handler = new FatalErrors(halts::incrementAndGet);

  @Test
  void anErrorEndsTheProcess() {
    handler.uncaughtException(new Thread("kube2sky-sync"), new OutOfMemoryError("Java heap space"));

    assertThat(halts).hasValue(1);
  }

  @Test
  void anExceptionIsOnlyLogged() {
    handler.uncaughtException(new Thread("worker"), new IllegalStateException("bug"));

    assertThat(halts).hasValue(0);
  }
}
