package org.clusterdns.kube2sky.sync;

/** Reports that a {@link RecordStore} read or write failed or did not complete in time. */
public final class RecordStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what failed. */
  public RecordStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
