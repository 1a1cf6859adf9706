package com.zmanim.api;

import com.zmanim.api.cache.Cache;
import com.zmanim.api.cache.RedisCache;
import com.zmanim.api.config.BuildInfo;
import com.zmanim.api.config.Config;
import com.zmanim.api.config.ConfigException;
import com.zmanim.api.db.Database;
import com.zmanim.api.health.HealthCheck;
import com.zmanim.api.metrics.RequestMetrics;
import io.javalin.Javalin;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.ServerSocketChannel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: reads the configuration once, migrates the database, starts the HTTP server, and on
 * SIGTERM stops accepting, lets in-flight requests finish, closes the pools and exits.
 */
public final class Main {
  /** Connections to PostgreSQL: requests hold one only for a query (1 vCPU on the instance). */
  static final int DATABASE_POOL_SIZE = 8;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /**
   * How long connections accepted just before a stop get to have their request read (see
   * stopAccepting).
   */
  private static final long ACCEPTED_GRACE_MS = 500;

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--aot-training")) {
      AotTraining.run();
      return;
    }
    if (args.length > 0) {
      LOG.error(
          "unknown arguments {}: the only argument is --aot-training; configuration comes from the environment",
          java.util.List.of(args));
      System.exit(2);
    }
    Config config;
    try {
      config = Config.fromEnvironment(System.getenv());
    } catch (ConfigException e) {
      LOG.error("configuration error, not starting: {}", e.getMessage());
      System.exit(2);
      return;
    }
    BuildInfo build = BuildInfo.fromManifest();
    LOG.info("starting zmanim-api {} ({}) with {}", build.version(), build.gitRevision(), config);

    Database database;
    try {
      database = Database.open(config.database(), DATABASE_POOL_SIZE);
    } catch (RuntimeException e) {
      LOG.error("database not ready or migration failed, not starting: {}", e.toString());
      System.exit(3);
      return;
    }
    Cache cache =
        config
            .redis()
            .<Cache>map(r -> new RedisCache(r, "zmanim:" + build.version() + ":"))
            .orElseGet(Cache::disabled);
    HealthCheck health =
        new HealthCheck(
            database.dataSource(),
            cache,
            build.version(),
            build.gitRevision(),
            config.environment());
    // Metric lines go to stdout unadorned (logger "emf" in logback.xml): the journal and the log
    // export pass them on as they are, and CloudWatch Logs reads each one as an EMF document.
    Logger emf = LoggerFactory.getLogger("emf");
    Optional<RequestMetrics> metrics =
        config
            .metricsNamespace()
            .map(
                namespace ->
                    new RequestMetrics(
                        namespace, config.environment(), emf::info, Clock.systemUTC()));
    App.Listen listen = inheritedListeningSocket() ? App.Listen.INHERITED : App.Listen.BIND;
    Javalin app =
        App.create(
            config, new App.Services(database.dataSource(), cache, build, metrics), health, listen);
    try {
      app.start();
    } catch (RuntimeException e) {
      LOG.error("cannot listen on {}:{}: {}", config.host(), config.port(), e.toString());
      cache.close();
      database.close();
      System.exit(4);
      return;
    }
    metrics.ifPresent(RequestMetrics::start);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(app, metrics, health, cache, database), "shutdown"));
    String where =
        listen == App.Listen.INHERITED
            ? "the inherited socket (systemd socket activation), port " + app.port()
            : config.host() + ":" + app.port();
    LOG.info(
        "listening on {}, cache {}, started in {} ms since JVM start",
        where,
        cache.status(),
        System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime());
  }

  /**
   * Whether standard input is a listening TCP socket (systemd passed zmanim-api.socket's with
   * StandardInput=socket). Anything else (a terminal, /dev/null, a pipe) means: bind HOST:PORT.
   */
  private static boolean inheritedListeningSocket() {
    try {
      return System.inheritedChannel() instanceof ServerSocketChannel;
    } catch (IOException | SecurityException e) {
      LOG.warn(
          "cannot inspect the inherited channel ({}); binding the configured address",
          e.toString());
      return false;
    }
  }

  /**
   * Closes this JVM's accepting end of the listening socket, then gives connections it accepted a
   * moment to have their request read, before the graceful stop: Jetty's stop closes a connection
   * with no request read yet as idle, which dropped a request accepted an instant before the stop.
   * Under socket activation the socket itself stays open (systemd holds it): what arrives from now
   * on waits in its backlog for the next JVM.
   */
  private static void stopAccepting(Javalin app) {
    for (Connector connector : app.jettyServer().server().getConnectors()) {
      if (connector instanceof ServerConnector server) {
        server.close();
      }
    }
    try {
      Thread.sleep(ACCEPTED_GRACE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The HTTP server's stop: no new connections, the open ones answered and closed, then Jetty's
   * graceful stop for whatever is left.
   */
  static void stopServer(Javalin app) {
    stopAccepting(app);
    drainConnections(app);
    app.stop();
  }

  /**
   * Lets the connections open at the stop finish before the server's own graceful stop, and sets
   * what is left of the stop timeout as that stop's bound. Jetty's graceful stop shuts the context
   * first, which answers 503 to a request arriving on a connection that is already open (a client's
   * keep-alive connection: CloudFront keeps its origin connections open). The connectors' shutdown
   * alone keeps the context serving: such a request is answered and its connection closed after the
   * answer, so that the client's next request opens a new connection, which waits in the socket's
   * backlog for the next JVM. Idle connections close after the shutdown idle timeout.
   */
  private static void drainConnections(Javalin app) {
    long start = System.nanoTime();
    List<CompletableFuture<Void>> drained = new ArrayList<>();
    for (Connector connector : app.jettyServer().server().getConnectors()) {
      if (connector instanceof AbstractConnector c) {
        drained.add(c.shutdown());
      }
    }
    try {
      CompletableFuture.allOf(drained.toArray(CompletableFuture[]::new))
          .get(App.STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("connections still open after {} ms: the stop cuts them", App.STOP_TIMEOUT_MS);
    } catch (ExecutionException e) {
      LOG.warn("draining connections failed: {}", String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long left = App.STOP_TIMEOUT_MS - (System.nanoTime() - start) / 1_000_000;
    app.jettyServer().server().setStopTimeout(Math.max(1_000, left));
  }

  private static void stop(
      Javalin app,
      Optional<RequestMetrics> metrics,
      HealthCheck health,
      Cache cache,
      Database database) {
    long start = System.nanoTime();
    LOG.info(
        "stopping: no new connections, waiting up to {} ms for in-flight requests",
        App.STOP_TIMEOUT_MS);
    // Closing an inherited socket makes the JDK point standard input, output and error at
    // /dev/null (InheritedChannel.detachIOStreams): under socket activation nothing written after
    // stopAccepting reaches the journal. The partial minute's metric lines are written first; the
    // few requests the drain still answers go uncounted.
    metrics.ifPresent(RequestMetrics::flush);
    try {
      stopServer(app);
    } finally {
      metrics.ifPresent(RequestMetrics::close); // standalone: what the drain answered
      health.close();
      cache.close();
      database.close();
      LOG.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
  }
}
