package org.clusterdns.skydns.metrics;

/** A backend that has loaded nothing and is not connected. */
final class IdleBackend implements BackendGauges {
  @Override
  public long entries() {
    return 0;
  }

  @Override
  public long revision() {
    return 0;
  }

  @Override
  public long lastEventMillis() {
    return 0;
  }

  @Override
  public boolean connected() {
    return false;
  }

  @Override
  public long malformedValues() {
    return 0;
  }
}
