package org.clusterdns.etcd.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs one {@link EtcdProcess} for a whole test class and stops it afterwards, also when tests
 * fail. Register it with {@code @RegisterExtension static final EtcdExtension ETCD = new
 * EtcdExtension(Mode.PLAIN);} and give each test its own key prefix so tests do not see each
 * other's keys.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback {
  private final EtcdProcess.Mode mode;
  private EtcdProcess etcd;

  /** Creates the extension for an etcd in {@code mode}. */
  public EtcdExtension(EtcdProcess.Mode mode) {
    this.mode = mode;
  }

  /** Returns the running etcd. */
  public EtcdProcess etcd() {
    if (etcd == null) {
      throw new IllegalStateException("etcd runs only while the test class runs");
    }
    return etcd;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    etcd = EtcdProcess.start(mode);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (etcd != null) {
      etcd.close();
      etcd = null;
    }
  }
}
