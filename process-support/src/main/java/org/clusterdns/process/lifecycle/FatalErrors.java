package org.clusterdns.process.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the process when any thread dies of an {@link Error} (out of memory, a broken class path).
 *
 * <p>Why: the work of both processes runs on a few long-lived threads. When one of them dies, the
 * JVM keeps running, its health endpoint keeps saying "ok", and nothing restarts it: seen in the
 * kube2sky benchmark, where an out-of-memory error in the first full reconcile left a process that
 * was never ready and never exited. Exiting lets the kubelet (or whoever started it) restart it.
 * Exceptions that reach a thread's top are logged; the thread's owner decides what they mean.
 */
public final class FatalErrors implements Thread.UncaughtExceptionHandler {
  /** The exit status after a fatal error (EX_SOFTWARE). */
  public static final int EXIT_STATUS = 70;

  private static final Logger log = LoggerFactory.getLogger(FatalErrors.class);

  private final Runnable halt;

  FatalErrors(Runnable halt) {
    this.halt = halt;
  }

  /** Installs the handler for every thread of this JVM. */
  public static void install() {
    Thread.setDefaultUncaughtExceptionHandler(new FatalErrors(() -> Runtime.getRuntime().halt(EXIT_STATUS)));
  }

  @Override
  public void uncaughtException(Thread thread, Throwable error) {
    if (error instanceof Error) {
      // halt, not exit: shutdown hooks may need the very memory or threads that are gone.
      System.err.println("fatal: thread " + thread.getName() + " died of " + error + "; exiting");
      log.error("thread {} died of {}; exiting", thread.getName(), error.toString(), error);
      halt.run();
    } else {
      log.error("thread {} ended with an unexpected exception", thread.getName(), error);
    }
  }
}
