package com.zmanim.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zmanim.api.support.Json;
import com.zmanim.api.support.RunningApi;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * /health: Redis down is "degraded" (still 200), no Redis is "disabled", a dead database is 503.
 */
class HealthTest {

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void withRedisUnreachableHealthIs200AndCacheDegradedAndSearchStillWorks() throws Exception {
    try (RunningApi api =
        RunningApi.with(Map.of("REDIS_URL", "redis://:pw@127.0.0.1:" + closedPort() + "/0"))) {
      HttpResponse<String> r = api.get("/health");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(Json.parse(r.body()).get("cache").asText()).isEqualTo("degraded");
      HttpResponse<String> search = api.get("/api/v1/localities/search?q=Oslo");
      assertThat(search.statusCode()).isEqualTo(200);
      assertThat(Json.parse(search.body()).get("results").get(0).get("name").asText())
          .isEqualTo("Oslo");
    }
  }

  @Test
  void withoutRedisUrlTheCacheIsDisabled() {
    try (RunningApi api = RunningApi.with(Map.of("REDIS_URL", ""))) {
      JsonNode body = Json.parse(api.get("/health").body());
      assertThat(body.get("cache").asText()).isEqualTo("disabled");
      assertThat(body.get("status").asText()).isEqualTo("ok");
    }
  }

  @Test
  void withTheDatabaseGoneHealthIs503WithTheSameShape() throws Exception {
    try (RunningApi api = RunningApi.with(Map.of())) {
      api.database.close(); // the pool refuses connections from now on, as a dead database would
      HttpResponse<String> r = api.get("/health");
      assertThat(r.statusCode()).isEqualTo(503);
      JsonNode body = Json.parse(r.body());
      assertThat(body.get("status").asText()).isEqualTo("down");
      assertThat(body.get("database").asText()).isEqualTo("down");
      assertThat(body.has("cache")).isTrue();
      assertThat(body.has("version")).isTrue();
      HttpResponse<String> nearby = api.get("/api/v1/localities/nearby?lat=1&lng=1");
      assertThat(nearby.statusCode()).isEqualTo(503);
    }
  }
}
