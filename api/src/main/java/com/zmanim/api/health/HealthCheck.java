package com.zmanim.api.health;

import com.zmanim.api.cache.Cache;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The state /health reports (architecture.md §4): the database must answer {@code SELECT 1} within
 * {@value #DATABASE_DEADLINE_MS} ms; the cache is "ok", "degraded" or "disabled" and never makes
 * the service unhealthy.
 */
public final class HealthCheck implements AutoCloseable {
  static final long DATABASE_DEADLINE_MS = 2_000;

  /** What /health answers. */
  public record Health(
      String status,
      String database,
      String cache,
      String version,
      String revision,
      String environment) {
    public boolean healthy() {
      return "ok".equals(status);
    }
  }

  private final DataSource dataSource;
  private final Cache cache;
  private final String version;
  private final String revision;
  private final String environment;
  private final ExecutorService executor =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "health-check");
            t.setDaemon(true);
            return t;
          });

  public HealthCheck(
      DataSource dataSource, Cache cache, String version, String revision, String environment) {
    this.dataSource = dataSource;
    this.cache = cache;
    this.version = version;
    this.revision = revision;
    this.environment = environment;
  }

  public Health check() {
    var database = CompletableFuture.supplyAsync(this::pingDatabase, executor);
    String cacheStatus = cache.status();
    String databaseStatus;
    try {
      databaseStatus = database.get(DATABASE_DEADLINE_MS, TimeUnit.MILLISECONDS) ? "ok" : "down";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      databaseStatus = "down";
    } catch (Exception e) {
      database.cancel(true);
      databaseStatus = "down";
    }
    return new Health(
        "ok".equals(databaseStatus) ? "ok" : "down",
        databaseStatus,
        cacheStatus,
        version,
        revision,
        environment);
  }

  private boolean pingDatabase() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(2);
      return s.execute("SELECT 1");
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
