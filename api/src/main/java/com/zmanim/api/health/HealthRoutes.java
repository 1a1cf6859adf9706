package com.zmanim.api.health;

import io.javalin.Javalin;

/**
 * {@code GET /health}: 200 when healthy, else 503, with the same JSON shape; never origin-checked.
 * {@code GET /ping}: liveness of the process alone (no database, no cache); origin-checked like
 * every other route. It is also the benchmark's ceiling: the cost of the server itself.
 */
public final class HealthRoutes {
  private HealthRoutes() {}

  public static void register(Javalin app, HealthCheck health) {
    app.get(
        "/health",
        ctx -> {
          HealthCheck.Health h = health.check();
          ctx.header("Cache-Control", "no-store");
          ctx.status(h.healthy() ? 200 : 503).json(h);
        });
    app.get("/ping", ctx -> ctx.header("Cache-Control", "no-store").result("{\"pong\":true}"));
  }
}
