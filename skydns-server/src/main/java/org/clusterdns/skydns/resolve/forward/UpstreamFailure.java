package org.clusterdns.skydns.resolve.forward;

/** No upstream server gave a usable answer; the client gets SERVFAIL. */
public final class UpstreamFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with what happened. */
  public UpstreamFailure(String message) {
    super(message, null, false, false);
  }
}
