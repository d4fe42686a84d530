package org.clusterdns.records;

/** Thrown when an etcd value is not a valid SkyDNS service record. */
public final class MalformedRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what is wrong with the value. */
  public MalformedRecordException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the parser's exception. */
  public MalformedRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
