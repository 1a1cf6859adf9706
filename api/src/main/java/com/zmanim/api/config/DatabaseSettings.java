package com.zmanim.api.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where the database is, parsed from {@code DATABASE_URL} ({@code
 * postgresql://user:pw@host:port/db}). The password never appears in {@link #toString()}.
 */
public record DatabaseSettings(
    String host, int port, String database, String user, String password) {

  public DatabaseSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** Parses the URL; errors name {@code variable} and never echo the URL (it holds a password). */
  public static DatabaseSettings parse(String variable, String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new ConfigException(
          variable, "not a URL of the form postgresql://user:password@host:port/database");
    }
    String scheme = uri.getScheme();
    if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
      throw new ConfigException(
          variable,
          "scheme must be postgresql:// (was " + (scheme == null ? "none" : scheme + "://") + ")");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new ConfigException(
          variable, "has no host (expected postgresql://user:password@host:port/database)");
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null || !userInfo.contains(":")) {
      throw new ConfigException(
          variable, "needs user and password (postgresql://user:password@host:port/database)");
    }
    String user = decode(userInfo.substring(0, userInfo.indexOf(':')));
    String password = decode(userInfo.substring(userInfo.indexOf(':') + 1));
    if (user.isEmpty()) {
      throw new ConfigException(variable, "user is empty");
    }
    if (password.isEmpty()) {
      throw new ConfigException(variable, "password is empty (there is no default password)");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (database.isEmpty() || database.contains("/")) {
      throw new ConfigException(
          variable,
          "needs a database name as its path (postgresql://user:password@host:port/database)");
    }
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    return new DatabaseSettings(uri.getHost(), port, database, user, password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The JDBC URL, without credentials (they go to the pool separately). */
  public String jdbcUrl() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "DatabaseSettings["
        + user
        + "@"
        + host
        + ":"
        + port
        + "/"
        + database
        + ", password=***]";
  }
}
