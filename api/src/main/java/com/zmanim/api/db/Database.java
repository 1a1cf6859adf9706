package com.zmanim.api.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zmanim.api.config.DatabaseSettings;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection pool, and the Flyway migrations applied before the API serves anything. */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource pool;

  private Database(HikariDataSource pool) {
    this.pool = pool;
  }

  /** Opens the pool (without waiting for a first connection) and applies pending migrations. */
  public static Database open(DatabaseSettings settings, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("zmanim-db");
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(poolSize);
    config.setConnectionTimeout(2_000);
    config.setValidationTimeout(1_000);
    // Start even while PostgreSQL is still coming up; the migration below then fails loudly.
    config.setInitializationFailTimeout(-1);
    config.setReadOnly(false);
    config.addDataSourceProperty("ApplicationName", "zmanim-api");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    config.addDataSourceProperty("socketTimeout", "10");
    config.addDataSourceProperty("options", "-c statement_timeout=5000");
    HikariDataSource pool = new HikariDataSource(config);
    try {
      long t0 = System.nanoTime();
      try (var first = pool.getConnection()) {
        LOG.info("database connected in {} ms", (System.nanoTime() - t0) / 1_000_000);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("cannot connect to " + settings + ": " + e.getMessage(), e);
      }
      migrate(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new Database(pool);
  }

  static void migrate(DataSource dataSource) {
    long t0 = System.nanoTime();
    Flyway flyway =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .javaMigrations(new LocalitiesData())
            // The data migration sets its own timeout; do not let statement_timeout cut a first
            // load.
            .initSql("SET statement_timeout = 0")
            .failOnMissingLocations(true)
            .load();
    long t1 = System.nanoTime();
    MigrateResult result = flyway.migrate();
    LOG.info(
        "database schema at version {} ({} migrations applied now; Flyway set-up {} ms, migrate {} ms)",
        result.targetSchemaVersion != null
            ? result.targetSchemaVersion
            : result.initialSchemaVersion,
        result.migrationsExecuted,
        (t1 - t0) / 1_000_000,
        (System.nanoTime() - t1) / 1_000_000);
  }

  public DataSource dataSource() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
  }
}
