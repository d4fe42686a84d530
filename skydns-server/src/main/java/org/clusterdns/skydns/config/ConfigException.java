package org.clusterdns.skydns.config;

/**
 * A configuration value that cannot be used; the message names the setting (flag, environment
 * variable or {@code /<prefix>/config} key) and the offending value, so start-up can stop with it.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** Values longer than this are cut in messages: a whole bad etcd object helps nobody in a log line. */
  private static final int MAX_VALUE_SHOWN = 100;

  /** Creates the exception with a complete message. */
  public ConfigException(String message) {
    super(message);
  }

  /** Creates the exception for {@code value} of the setting {@code source}, which was rejected for {@code reason}. */
  static ConfigException invalid(String source, String value, String reason) {
    String shown = value.length() > MAX_VALUE_SHOWN ? value.substring(0, MAX_VALUE_SHOWN) + "..." : value;
    return new ConfigException(source + ": invalid value '" + shown + "': " + reason);
  }
}
