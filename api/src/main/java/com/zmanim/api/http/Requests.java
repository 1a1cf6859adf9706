package com.zmanim.api.http;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns a request's query string into {@link Params}; a malformed query string is a 400. */
public final class Requests {
  /** Longest query string accepted at all (Jetty's own limit on the request line is 8 KiB). */
  public static final int MAX_QUERY_LENGTH = 1_000;

  private Requests() {}

  public static Params params(Context ctx) {
    String query = ctx.queryString();
    if (query != null && query.length() > MAX_QUERY_LENGTH) {
      throw ApiException.badParameter(
          "query", "the query string is too long", "at most " + MAX_QUERY_LENGTH + " characters");
    }
    Map<String, List<String>> all;
    try {
      all = ctx.queryParamMap();
    } catch (RuntimeException e) {
      throw ApiException.badParameter(
          "query", "the query string is malformed", "URL-encoded name=value pairs");
    }
    Map<String, String> first = new HashMap<>();
    all.forEach(
        (name, values) -> {
          if (!values.isEmpty()) {
            first.put(name, values.get(0));
          }
        });
    return new Params(first);
  }
}
