package com.zmanim.api.config;

import com.zmanim.api.metrics.RequestMetrics;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The service's whole configuration, read once from the environment (architecture.md §4) and
 * validated here: a missing or malformed variable stops start-up with a message naming it.
 *
 * @param host address to bind ({@code HOST}, default 0.0.0.0)
 * @param port port to bind ({@code PORT}, default 8080)
 * @param database {@code DATABASE_URL}, required
 * @param redis {@code REDIS_URL}, optional: without it the cache is disabled
 * @param environment {@code ENVIRONMENT}, required (e.g. prod), appears in logs
 * @param allowedOrigins {@code ALLOWED_ORIGINS}, comma-separated origins for CORS; empty = none
 * @param originVerifySecret {@code ORIGIN_VERIFY_SECRET}: when present, every route but /health
 *     requires header {@code X-Origin-Verify} with this value
 * @param originVerifySecretPrevious {@code ORIGIN_VERIFY_SECRET_PREVIOUS}: during a rotation of the
 *     origin secret, the value CloudFront may still send until its configuration has moved to the
 *     new one; accepted as well. Only with {@code ORIGIN_VERIFY_SECRET}.
 * @param metricsNamespace {@code METRICS_NAMESPACE}: when present, request metrics are written to
 *     stdout as CloudWatch embedded metric format lines in this namespace (docs/adr/0019)
 */
public record Config(
    String host,
    int port,
    DatabaseSettings database,
    Optional<RedisSettings> redis,
    String environment,
    List<String> allowedOrigins,
    Optional<String> originVerifySecret,
    Optional<String> originVerifySecretPrevious,
    Optional<String> metricsNamespace) {

  private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\-\\[\\]]{1,253}");
  private static final Pattern ORIGIN =
      Pattern.compile("\\*|https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?");

  public Config {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /**
   * Reads and validates every variable; throws {@link ConfigException} naming the first bad one.
   */
  public static Config fromEnvironment(Map<String, String> env) {
    String host = optional(env, "HOST").orElse("0.0.0.0");
    if (!HOST.matcher(host).matches()) {
      throw new ConfigException("HOST", "not an address or host name");
    }
    int port = optional(env, "PORT").map(Config::parsePort).orElse(8080);
    DatabaseSettings database =
        DatabaseSettings.parse("DATABASE_URL", required(env, "DATABASE_URL"));
    Optional<RedisSettings> redis =
        optional(env, "REDIS_URL").map(u -> RedisSettings.parse("REDIS_URL", u));
    String environment = required(env, "ENVIRONMENT");
    if (!ENVIRONMENT.matcher(environment).matches()) {
      throw new ConfigException(
          "ENVIRONMENT",
          "must be lower-case letters, digits and dashes, e.g. prod (was \"" + environment + "\")");
    }
    List<String> origins =
        optional(env, "ALLOWED_ORIGINS")
            .map(
                v ->
                    Arrays.stream(v.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList())
            .orElse(List.of());
    for (String origin : origins) {
      if (!ORIGIN.matcher(origin).matches()) {
        throw new ConfigException(
            "ALLOWED_ORIGINS",
            "\"" + origin + "\" is not an origin like https://example.com (or *)");
      }
    }
    Optional<String> secret = optional(env, "ORIGIN_VERIFY_SECRET");
    if (secret.isPresent() && secret.get().length() < 16) {
      throw new ConfigException(
          "ORIGIN_VERIFY_SECRET", "too short: at least 16 characters when set");
    }
    Optional<String> previous = optional(env, "ORIGIN_VERIFY_SECRET_PREVIOUS");
    if (previous.isPresent() && secret.isEmpty()) {
      throw new ConfigException(
          "ORIGIN_VERIFY_SECRET_PREVIOUS",
          "set without ORIGIN_VERIFY_SECRET: a previous value only makes sense during a rotation");
    }
    if (previous.isPresent() && previous.get().length() < 16) {
      throw new ConfigException(
          "ORIGIN_VERIFY_SECRET_PREVIOUS", "too short: at least 16 characters when set");
    }
    Optional<String> namespace = optional(env, "METRICS_NAMESPACE");
    if (namespace.isPresent() && !RequestMetrics.NAMESPACE.matcher(namespace.get()).matches()) {
      throw new ConfigException(
          "METRICS_NAMESPACE",
          "not a CloudWatch namespace (letters, digits and . - _ / # :, at most 255, not AWS/...) (was \""
              + namespace.get()
              + "\")");
    }
    return new Config(
        host, port, database, redis, environment, origins, secret, previous, namespace);
  }

  private static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException("PORT", "must be a number 0-65535 (was \"" + value + "\")");
  }

  private static String required(Map<String, String> env, String name) {
    return optional(env, name)
        .orElseThrow(() -> new ConfigException(name, "is required and not set"));
  }

  /** A variable that is unset or blank counts as absent. */
  private static Optional<String> optional(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  @Override
  public String toString() {
    return "Config[host="
        + host
        + ", port="
        + port
        + ", database="
        + database
        + ", redis="
        + redis.map(Object::toString).orElse("disabled")
        + ", environment="
        + environment
        + ", allowedOrigins="
        + allowedOrigins
        + ", originVerify="
        + (originVerifySecret.isPresent() ? "on" : "off")
        + (originVerifySecretPrevious.isPresent() ? " (previous value accepted too)" : "")
        + ", metrics="
        + metricsNamespace.orElse("off")
        + "]";
  }
}
