package com.zmanim.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.api.cache.Cache;
import com.zmanim.api.config.BuildInfo;
import com.zmanim.api.config.Config;
import com.zmanim.api.health.HealthCheck;
import com.zmanim.api.health.HealthRoutes;
import com.zmanim.api.http.Errors;
import com.zmanim.api.http.OriginVerification;
import com.zmanim.api.localities.LocalityRepository;
import com.zmanim.api.localities.LocalityRoutes;
import com.zmanim.api.metrics.RequestMetrics;
import com.zmanim.api.zmanim.ZmanimCalculator;
import com.zmanim.api.zmanim.ZmanimRoutes;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP application as a value: built from the configuration and its collaborators, not yet
 * listening. {@link Main} starts it on the configured address; tests start it on port 0.
 */
public final class App {
  /** How long a stop waits for in-flight requests (the unit's TimeoutStopSec is 30 s). */
  public static final long STOP_TIMEOUT_MS = 20_000;

  static final long SLOW_REQUEST_MS = 1_000;
  private static final Logger ACCESS = LoggerFactory.getLogger("access");

  /**
   * What the routes need besides the configuration.
   *
   * @param metrics counts every request (by route template), or empty when metrics are off
   */
  public record Services(
      DataSource dataSource, Cache cache, BuildInfo build, Optional<RequestMetrics> metrics) {
    public Services {
      Objects.requireNonNull(metrics, "metrics");
    }
  }

  private App() {}

  /** Where the server listens. */
  public enum Listen {
    /** Binds HOST:PORT itself (tests, {@code make bench}, a plain {@code java -jar}). */
    BIND,
    /**
     * Accepts on the listening socket it inherited as its standard input (systemd's {@code
     * zmanim-api.socket} with {@code StandardInput=socket}): the socket outlives the JVM, so
     * connections made while one JVM stops and the next starts wait in its backlog instead of being
     * refused.
     */
    INHERITED
  }

  public static Javalin create(Config config, Services services, HealthCheck health) {
    return create(config, services, health, Listen.BIND);
  }

  public static Javalin create(
      Config config, Services services, HealthCheck health, Listen listen) {
    ObjectMapper json = new ObjectMapper();
    Javalin app =
        Javalin.create(
            c -> {
              c.showJavalinBanner = false;
              c.startupWatcherEnabled = false;
              c.jsonMapper(new JavalinJackson(json, false));
              c.http.defaultContentType = "application/json";
              c.http.maxRequestSize = 16 * 1024;
              c.router.ignoreTrailingSlashes = true;
              c.jetty.defaultHost = config.host();
              c.jetty.defaultPort = config.port();
              c.jetty.modifyServer(
                  server -> {
                    server.setStopTimeout(STOP_TIMEOUT_MS);
                    server.setStopAtShutdown(
                        false); // Main's shutdown hook stops the server, then the pools
                  });
              c.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
              // Javalin's own connector with two changes: under socket activation Jetty takes
              // System.inheritedChannel(); and a stop keeps the connections it drains for the
              // whole stop timeout (Jetty cuts their idle timeout to 1 s by default, which failed
              // a request accepted just before the stop on a loaded machine). ADR 0017.
              c.jetty.addConnector(
                  (server, http) -> {
                    ServerConnector connector =
                        new ServerConnector(server, new HttpConnectionFactory(http));
                    connector.setInheritChannel(listen == Listen.INHERITED);
                    connector.setShutdownIdleTimeout(STOP_TIMEOUT_MS);
                    connector.setHost(config.host());
                    connector.setPort(config.port());
                    return connector;
                  });
              if (!config.allowedOrigins().isEmpty()) {
                c.bundledPlugins.enableCors(
                    cors ->
                        cors.addRule(
                            rule -> {
                              if (config.allowedOrigins().contains("*")) {
                                rule.anyHost();
                              } else {
                                config.allowedOrigins().forEach(origin -> rule.allowHost(origin));
                              }
                            }));
              }
              c.requestLogger.http(
                  (ctx, ms) -> {
                    int status = ctx.statusCode();
                    services.metrics().ifPresent(m -> m.record(routeOf(ctx), status, ms));
                    if (status >= 500 || ms >= SLOW_REQUEST_MS) {
                      ACCESS.warn(
                          "{} {} -> {} in {} ms", ctx.method(), ctx.path(), status, Math.round(ms));
                    } else if (ACCESS.isDebugEnabled()) {
                      ACCESS.debug(
                          "{} {} -> {} in {} ms", ctx.method(), ctx.path(), status, Math.round(ms));
                    }
                  });
            });
    config
        .originVerifySecret()
        .ifPresent(
            secret ->
                app.before(new OriginVerification(secret, config.originVerifySecretPrevious())));
    Errors.register(app);
    LocalityRepository localities = new LocalityRepository(services.dataSource());
    HealthRoutes.register(app, health);
    ZmanimRoutes.register(app, new ZmanimCalculator(), localities, json);
    LocalityRoutes.register(app, localities, services.cache(), json);
    return app;
  }

  /**
   * The route template that answered (never the raw path: its values would be unbounded). Javalin
   * leaves it empty when a before-handler refused the request (the origin check) and puts a
   * sentence there when no route matched (404/405): both count as unmatched.
   */
  static String routeOf(Context ctx) {
    if (ctx.handlerType() == HandlerType.BEFORE) {
      return RequestMetrics.UNMATCHED_ROUTE; // Javalin refuses to name the endpoint there
    }
    String template = ctx.endpointHandlerPath();
    return template != null && template.startsWith("/") ? template : RequestMetrics.UNMATCHED_ROUTE;
  }
}
