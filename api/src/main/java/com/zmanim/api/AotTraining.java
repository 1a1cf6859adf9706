package com.zmanim.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zmanim.api.cache.Cache;
import com.zmanim.api.cache.RedisCache;
import com.zmanim.api.config.BuildInfo;
import com.zmanim.api.config.Config;
import com.zmanim.api.db.LocalitiesData;
import com.zmanim.api.health.HealthCheck;
import com.zmanim.api.metrics.RequestMetrics;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -XX:AOTCacheOutput=zmanim-api.aot -jar zmanim-api.jar --aot-training}: a training run
 * for the JDK 25 AOT cache (JEP 483/514) that needs no database, so the image build can create the
 * cache with the very JVM that will run it. It exercises what a real start-up loads: configuration,
 * logging, the pool and the JDBC driver (against a closed port), Flyway, Jedis, Javalin/Jetty and
 * every route (KosherJava, Jackson, the error paths), then exits; the JVM writes the cache at exit.
 */
final class AotTraining {
  private static final Logger LOG = LoggerFactory.getLogger(AotTraining.class);

  private AotTraining() {}

  static void run() throws Exception {
    long start = System.nanoTime();
    // Nothing listens on port 1 of loopback: every connection attempt fails at once.
    Config config =
        Config.fromEnvironment(
            Map.of(
                "HOST",
                "127.0.0.1",
                "PORT",
                "0",
                "ENVIRONMENT",
                "aot-training",
                "DATABASE_URL",
                "postgresql://training:training@127.0.0.1:1/training",
                "REDIS_URL",
                "redis://:training@127.0.0.1:1/0"));
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(config.database().jdbcUrl());
    hikari.setUsername(config.database().user());
    hikari.setPassword(config.database().password());
    hikari.setConnectionTimeout(250);
    hikari.setInitializationFailTimeout(-1);
    hikari.setMinimumIdle(0);
    try (HikariDataSource pool = new HikariDataSource(hikari);
        Cache cache = new RedisCache(config.redis().orElseThrow(), "training:")) {
      try {
        Flyway.configure()
            .dataSource(pool)
            .locations("classpath:db/migration")
            .javaMigrations(new LocalitiesData())
            .load()
            .migrate();
      } catch (RuntimeException expected) {
        // no database: the classes are loaded, which is the point
      }
      cache.status();
      BuildInfo build = BuildInfo.fromManifest();
      try (HealthCheck health =
          new HealthCheck(
              pool, cache, build.version(), build.gitRevision(), config.environment())) {
        RequestMetrics metrics =
            new RequestMetrics(
                "ZmanimAotTraining", config.environment(), line -> {}, Clock.systemUTC());
        Javalin app =
            App.create(config, new App.Services(pool, cache, build, Optional.of(metrics)), health);
        app.start();
        try {
          for (int round = 0; round < 3; round++) {
            for (String path :
                new String[] {
                  "/ping",
                  "/health",
                  "/nope",
                  "/api/v1/zmanim?lat=31.7683&lng=35.2137&date=2026-11-27&tz=Asia/Jerusalem",
                  "/api/v1/zmanim?lat=69.65&lng=18.96&date=2026-06-21&tz=Europe/Oslo&elevation=10",
                  "/api/v1/zmanim?lat=91&lng=0&date=2026-01-01&tz=UTC",
                  "/api/v1/zmanim?locality=281184&date=2026-11-27",
                  "/api/v1/localities/nearby?lat=31.7&lng=35.2&limit=5",
                  "/api/v1/localities/search?q=jerus&limit=5"
                }) {
              get(app.port(), path);
            }
          }
        } finally {
          app.stop();
          metrics.flush(); // the metric lines' code is in the cache too
        }
      }
    }
    LOG.info("AOT training run done in {} ms", (System.nanoTime() - start) / 1_000_000);
  }

  private static void get(int port, String path) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    c.setConnectTimeout(2_000);
    c.setReadTimeout(5_000);
    int status = c.getResponseCode();
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    }
  }
}
