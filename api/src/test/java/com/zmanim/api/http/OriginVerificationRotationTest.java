package com.zmanim.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.api.support.RunningApi;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * During a rotation (ORIGIN_VERIFY_SECRET_PREVIOUS set) the old and the new value are both served.
 */
class OriginVerificationRotationTest {
  private static final String NEW = "origin-secret-new-0123456789";
  private static final String OLD = "origin-secret-old-0123456789";
  private static final String ROUTE = "/api/v1/localities/search?q=Rome";
  private static RunningApi api;

  @BeforeAll
  static void start() {
    api =
        RunningApi.with(Map.of("ORIGIN_VERIFY_SECRET", NEW, "ORIGIN_VERIFY_SECRET_PREVIOUS", OLD));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void theNewValueIsServed() {
    assertThat(api.get(ROUTE, "X-Origin-Verify", NEW).statusCode()).isEqualTo(200);
  }

  @Test
  void thePreviousValueIsServedDuringTheSwitch() {
    assertThat(api.get(ROUTE, "X-Origin-Verify", OLD).statusCode()).isEqualTo(200);
  }

  @Test
  void anyOtherValueIsStill403() {
    assertThat(api.get(ROUTE, "X-Origin-Verify", OLD + "x").statusCode()).isEqualTo(403);
    assertThat(api.get(ROUTE, "X-Origin-Verify", NEW.substring(1)).statusCode()).isEqualTo(403);
  }

  @Test
  void noHeaderIsStill403() {
    assertThat(api.get(ROUTE).statusCode()).isEqualTo(403);
  }
}
