package com.zmanim.api.cache;

import java.util.Optional;

/**
 * A best-effort string cache. Failures never reach callers: a broken cache behaves as a miss and
 * reports itself degraded. Implementations are thread-safe.
 */
public interface Cache extends AutoCloseable {
  Optional<String> get(String key);

  void put(String key, String value, int ttlSeconds);

  /** "ok", "degraded" (configured but not answering) or "disabled" (not configured). */
  String status();

  @Override
  void close();

  /** The cache when {@code REDIS_URL} is not set. */
  static Cache disabled() {
    return new Cache() {
      @Override
      public Optional<String> get(String key) {
        return Optional.empty();
      }

      @Override
      public void put(String key, String value, int ttlSeconds) {}

      @Override
      public String status() {
        return "disabled";
      }

      @Override
      public void close() {}
    };
  }
}
