package com.zmanim.api.localities;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.api.cache.Cache;
import com.zmanim.api.http.ApiException;
import com.zmanim.api.http.Params;
import com.zmanim.api.http.Requests;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/localities/search?q=&limit=} and {@code GET
 * /api/v1/localities/nearby?lat=&lng=&limit=}. Search answers are cached (when a cache is
 * configured): see docs/adr for the measurement.
 */
public final class LocalityRoutes {
  public static final int MAX_QUERY_CHARS = 64;
  public static final int MAX_LIMIT = 50;
  public static final int DEFAULT_LIMIT = 10;
  static final int SEARCH_TTL_SECONDS = 24 * 3600;

  private LocalityRoutes() {}

  public static void register(
      Javalin app, LocalityRepository repository, Cache cache, ObjectMapper json) {
    app.get(
        "/api/v1/localities/search",
        ctx -> {
          Params p = Requests.params(ctx);
          String accepted = "1 to " + MAX_QUERY_CHARS + " characters of a place name";
          String q = p.requiredRaw("q", accepted);
          if (q.codePointCount(0, q.length()) > MAX_QUERY_CHARS) {
            throw ApiException.badParameter("q", "q is too long", accepted);
          }
          if (q.chars().anyMatch(Character::isISOControl) || !validSurrogates(q)) {
            throw ApiException.badParameter(
                "q", "q contains control characters or broken Unicode", accepted);
          }
          int limit = p.limit(DEFAULT_LIMIT, MAX_LIMIT);
          String key =
              "search:"
                  + limit
                  + ":"
                  + Normalizer.normalize(q, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
          Optional<String> cached = cache.get(key);
          if (cached.isPresent()) {
            ctx.header("X-Cache", "hit")
                .contentType(ContentType.APPLICATION_JSON)
                .result(cached.get());
            return;
          }
          List<Locality> found = repository.search(q, limit);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("query", q);
          body.put("results", found.stream().map(LocalityJson::of).toList());
          String text = json.writeValueAsString(body);
          cache.put(key, text, SEARCH_TTL_SECONDS);
          ctx.header("X-Cache", "miss").contentType(ContentType.APPLICATION_JSON).result(text);
        });

    app.get(
        "/api/v1/localities/nearby",
        ctx -> {
          Params p = Requests.params(ctx);
          double lat = p.requiredDecimal("lat", -90, 90);
          double lng = p.requiredDecimal("lng", -180, 180);
          int limit = p.limit(DEFAULT_LIMIT, MAX_LIMIT);
          List<Locality> found = repository.nearby(lat, lng, limit);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("latitude", lat);
          body.put("longitude", lng);
          body.put("results", found.stream().map(LocalityJson::of).toList());
          ctx.json(body);
        });
  }

  private static boolean validSurrogates(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
