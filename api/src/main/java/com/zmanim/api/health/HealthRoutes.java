package com.zmanim.api.health;

import io.javalin.Javalin;

/** {@code GET /health}: 200 when healthy, else 503, with the same JSON shape. Never origin-checked. */
public final class HealthRoutes {
  private HealthRoutes() { }

  public static void register(Javalin app, HealthCheck health) {
    app.get("/health", ctx -> {
      HealthCheck.Health h = health.check();
      ctx.header("Cache-Control", "no-store");
      ctx.status(h.healthy() ? 200 : 503).json(h);
    });
  }
}
