package org.clusterdns.etcd;

/** Reports that a read from etcd failed or did not complete in time; the message says which key. */
public final class EtcdReadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the key and the cause. */
  public EtcdReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
