package org.clusterdns.process.flags;

/**
 * A setting (command line flag, environment variable or configuration key) whose value cannot be
 * used; the message names the setting and the value, so that start-up can stop with it.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** Longer values are cut in messages: a whole pasted file or etcd object helps nobody in a log line. */
  private static final int MAX_VALUE_SHOWN = 100;

  /** Creates the exception with a complete message. */
  public ConfigException(String message) {
    super(message);
  }

  /** Creates the exception for {@code value} of the setting {@code source}, rejected for {@code reason}. */
  public static ConfigException invalid(String source, String value, String reason) {
    String shown = value.length() > MAX_VALUE_SHOWN ? value.substring(0, MAX_VALUE_SHOWN) + "..." : value;
    return new ConfigException(source + ": invalid value '" + shown + "': " + reason);
  }
}
