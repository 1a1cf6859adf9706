package com.zmanim.api.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where Redis is, parsed from {@code REDIS_URL} ({@code redis://:password@host:port/db}, or {@code
 * rediss://...} for TLS: ElastiCache with encryption in transit, profile ha). The password is
 * optional here (a local test Redis may have none) and never appears in {@link #toString()}.
 */
public record RedisSettings(
    String host, int port, int database, Optional<String> password, boolean tls) {

  /** A plain (no TLS) connection: the single instance's local Redis. */
  public RedisSettings(String host, int port, int database, Optional<String> password) {
    this(host, port, database, password, false);
  }

  public static RedisSettings parse(String variable, String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new ConfigException(variable, "not a URL of the form redis://:password@host:port/db");
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new ConfigException(
          variable, "scheme must be redis:// (plain, the instance's own Redis) or rediss:// (TLS)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new ConfigException(variable, "has no host (expected redis://:password@host:port/db)");
    }
    Optional<String> password = Optional.empty();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      String pw = userInfo.contains(":") ? userInfo.substring(userInfo.indexOf(':') + 1) : userInfo;
      pw = URLDecoder.decode(pw.replace("+", "%2B"), StandardCharsets.UTF_8);
      if (!pw.isEmpty()) {
        password = Optional.of(pw);
      }
    }
    int database = 0;
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (path.length() > 1) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new ConfigException(
            variable, "database must be a number 0-15 (redis://:password@host:port/0)");
      }
      if (database < 0 || database > 15) {
        throw new ConfigException(variable, "database must be a number 0-15");
      }
    }
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    return new RedisSettings(
        uri.getHost(), port, database, password, "rediss".equals(uri.getScheme()));
  }

  @Override
  public String toString() {
    return "RedisSettings["
        + (tls ? "tls " : "")
        + host
        + ":"
        + port
        + "/"
        + database
        + ", password="
        + (password.isPresent() ? "***" : "none")
        + "]";
  }
}
