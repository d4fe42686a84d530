package org.clusterdns.skydns.server;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.xbill.DNS.Message;

/**
 * How the transport's answer cache is set up: its size, the data generation that ends answers
 * made from the data, the stub zones' version that ends every answer, and how long each complete
 * reply may be reused.
 *
 * @param capacity the most replies kept
 * @param generation the backend's data generation ({@code Backend::generation})
 * @param routing the stub zones' version ({@code StubZones::version}; constant without stub zones)
 * @param reuse how long a complete reply may be reused for other clients
 */
public record AnswerCacheSettings(int capacity, LongSupplier generation, LongSupplier routing,
    Function<Message, AnswerReuse> reuse) {

  /** Checks the arguments. */
  public AnswerCacheSettings {
    Objects.requireNonNull(generation, "generation");
    Objects.requireNonNull(routing, "routing");
    Objects.requireNonNull(reuse, "reuse");
    if (capacity < 1) {
      throw new IllegalArgumentException("answer cache capacity must be positive");
    }
  }

  AnswerCache create() {
    return new AnswerCache(capacity, generation, routing, System::nanoTime, reuse);
  }
}
