package com.zmanim.api.support;

import com.zmanim.api.App;
import com.zmanim.api.cache.Cache;
import com.zmanim.api.cache.RedisCache;
import com.zmanim.api.config.BuildInfo;
import com.zmanim.api.config.Config;
import com.zmanim.api.db.Database;
import com.zmanim.api.health.HealthCheck;
import com.zmanim.api.metrics.RequestMetrics;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The API built by {@link App#create} against {@link TestDatabases}, listening on a random port.
 * {@link #shared()} is one instance per test JVM (its first start applies the real migrations).
 */
public final class RunningApi implements AutoCloseable {
  private static RunningApi shared;

  /**
   * This instance's client, closed before the server stops: a stop drains open connections for the
   * whole stop timeout (ADR 0017), so an idle pooled connection would hold it that long.
   */
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public final Javalin app;
  public final Database database;
  public final Cache cache;
  public final Config config;

  /**
   * The request metrics' lines, when METRICS_NAMESPACE is set; {@link #metrics} flushes on demand.
   */
  public final List<String> metricLines = new CopyOnWriteArrayList<>();

  public final Optional<RequestMetrics> metrics;

  private RunningApi(Map<String, String> overrides, Consumer<Javalin> extraRoutes) {
    Map<String, String> env = new HashMap<>(TestDatabases.get().environment());
    env.putAll(overrides);
    env.values().removeIf(String::isEmpty);
    config = Config.fromEnvironment(env);
    database = Database.open(config.database(), 4);
    BuildInfo build = new BuildInfo("0.0.0-test", "test");
    cache =
        config
            .redis()
            .<Cache>map(r -> new RedisCache(r, "zmanim-test:" + System.nanoTime() + ":"))
            .orElseGet(Cache::disabled);
    HealthCheck health =
        new HealthCheck(
            database.dataSource(),
            cache,
            build.version(),
            build.gitRevision(),
            config.environment());
    metrics =
        config
            .metricsNamespace()
            .map(
                ns ->
                    new RequestMetrics(
                        ns, config.environment(), metricLines::add, Clock.systemUTC()));
    app =
        App.create(config, new App.Services(database.dataSource(), cache, build, metrics), health);
    extraRoutes.accept(app);
    app.start();
  }

  public static synchronized RunningApi shared() {
    if (shared == null) {
      shared = new RunningApi(Map.of(), a -> {});
    }
    return shared;
  }

  /** A separate instance with some variables changed ("" removes one); close it after use. */
  public static RunningApi with(Map<String, String> overrides, Consumer<Javalin> extraRoutes) {
    return new RunningApi(overrides, extraRoutes);
  }

  public static RunningApi with(Map<String, String> overrides) {
    return with(overrides, a -> {});
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + app.port() + pathAndQuery);
  }

  public HttpResponse<String> get(String pathAndQuery, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A status and body read from a raw socket. */
  public record RawResponse(int status, String head, String body) {}

  /**
   * Sends {@code GET <target> HTTP/1.1} over a plain socket, byte for byte as given (so malformed
   * targets that {@link java.net.URI} refuses reach the server too).
   */
  public RawResponse rawGet(String target) {
    try (var socket = new java.net.Socket("127.0.0.1", app.port())) {
      socket.setSoTimeout(30_000);
      String request =
          "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
      socket
          .getOutputStream()
          .write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      String response =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int headEnd = response.indexOf("\r\n\r\n");
      String head = headEnd < 0 ? response : response.substring(0, headEnd);
      String[] statusLine = head.split("\r\n", 2)[0].split(" ");
      int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
      return new RawResponse(status, head, headEnd < 0 ? "" : response.substring(headEnd + 4));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    app.stop();
    cache.close();
    database.close();
  }
}
