package com.zmanim.api.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error is JSON: refused input (4xx), unknown routes (404), and the server's own faults. */
public final class Errors {
  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);
  private static final String ANSWERED = "zmanim.error.answered";

  private Errors() {}

  public static void register(Javalin app) {
    app.exception(
        ApiException.class,
        (e, ctx) ->
            answer(ctx, e.status(), e.error(), e.getMessage(), e.parameter(), e.accepted()));
    app.exception(
        SQLException.class,
        (e, ctx) -> {
          LOG.error("database error on {} {}: {}", ctx.method(), ctx.path(), e.toString());
          answer(
              ctx,
              503,
              "unavailable",
              "the database is not available; try again shortly",
              null,
              null);
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
          answer(ctx, 500, "internal", "internal error", null, null);
        });
    // Statuses set by Javalin itself (no route, payload too large, ...) get the same JSON shape.
    app.error(
        404,
        ctx -> {
          if (ctx.attribute(ANSWERED) == null) {
            answer(
                ctx,
                404,
                "not_found",
                "no such route: " + ctx.method() + " " + ctx.path(),
                null,
                null);
          }
        });
    app.error(
        405,
        ctx -> {
          if (ctx.attribute(ANSWERED) == null) {
            answer(
                ctx, 405, "method_not_allowed", "method not allowed: " + ctx.method(), null, null);
          }
        });
    app.error(
        413,
        ctx -> {
          if (ctx.attribute(ANSWERED) == null) {
            answer(ctx, 413, "too_large", "request too large", null, null);
          }
        });
  }

  static void answer(
      Context ctx, int status, String error, String message, String parameter, String accepted) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("message", message);
    if (parameter != null) {
      body.put("parameter", parameter);
    }
    if (accepted != null) {
      body.put("accepted", accepted);
    }
    ctx.attribute(ANSWERED, Boolean.TRUE);
    ctx.header("Cache-Control", "no-store");
    ctx.status(status).json(body);
  }
}
