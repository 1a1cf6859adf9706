package com.zmanim.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.api.support.Json;
import com.zmanim.api.support.RunningApi;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With ORIGIN_VERIFY_SECRET set, every route but /health needs X-Origin-Verify. */
class OriginVerificationTest {
  private static final String SECRET = "origin-secret-0123456789";
  private static RunningApi api;

  @BeforeAll
  static void start() {
    api = RunningApi.with(Map.of("ORIGIN_VERIFY_SECRET", SECRET));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void aRequestWithoutTheHeaderIs403Json() {
    var r = api.get("/api/v1/localities/search?q=Rome");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(Json.parse(r.body()).get("error").asText()).isEqualTo("forbidden");
  }

  @Test
  void aRequestWithTheWrongValueIs403() {
    assertThat(
            api.get("/api/v1/localities/search?q=Rome", "X-Origin-Verify", SECRET + "x")
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void unknownRoutesAreAlsoRefusedWithoutTheHeader() {
    assertThat(api.get("/anything").statusCode()).isEqualTo(403);
  }

  @Test
  void aRequestWithTheHeaderIsServed() {
    assertThat(api.get("/api/v1/localities/search?q=Rome", "X-Origin-Verify", SECRET).statusCode())
        .isEqualTo(200);
  }

  @Test
  void healthNeedsNoHeader() {
    assertThat(api.get("/health").statusCode()).isEqualTo(200);
  }
}
