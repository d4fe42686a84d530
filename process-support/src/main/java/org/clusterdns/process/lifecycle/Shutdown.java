package org.clusterdns.process.lifecycle;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a started process until the JVM is told to stop (SIGTERM from the kubelet, Ctrl-C), then
 * closes what it started.
 */
public final class Shutdown {
  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

  private Shutdown() {}

  /**
   * Blocks until the JVM begins to shut down and its hook has closed {@code inOrder}, first to
   * last: the work first, then the clients it uses.
   */
  public static void awaitThenClose(AutoCloseable... inOrder) throws InterruptedException {
    List<AutoCloseable> resources = List.of(inOrder);
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      closeAll(resources);
      closed.countDown();
    }, "shutdown"));
    closed.await();
  }

  /**
   * Closes each resource in turn; one that fails is logged and does not keep the others open,
   * nor the process from ending.
   */
  static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception | LinkageError e) {
        log.warn("closing {} on shutdown failed", resource, e);
      }
    }
  }
}
