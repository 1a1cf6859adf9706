package com.zmanim.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zmanim.api.support.Json;
import com.zmanim.api.support.RunningApi;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The running API (random port) counts its requests by route template and leaks nothing into the
 * lines.
 */
class RequestMetricsApiTest {
  private static final String SECRET = "origin-secret-QSWX-0123456789";
  private static final String PROBE = "probeVALUEzx81";
  private static RunningApi api;
  private static List<String> lines;
  private static List<Integer> statuses;

  @BeforeAll
  static void requestsThenAFlush() {
    api =
        RunningApi.with(
            Map.of(
                "METRICS_NAMESPACE",
                "ZmanimTest",
                "ENVIRONMENT",
                "metrics-test",
                "ORIGIN_VERIFY_SECRET",
                SECRET),
            app ->
                app.get(
                    "/test/fail",
                    ctx -> {
                      throw new IllegalStateException("boom");
                    }));
    String origin = "X-Origin-Verify";
    statuses =
        List.of(
            api.get(
                    "/api/v1/zmanim?lat=31.7683&lng=35.2137&date=2026-06-21&tz=Asia/Jerusalem&note="
                        + PROBE,
                    origin,
                    SECRET,
                    "Authorization",
                    "Bearer " + PROBE)
                .statusCode(),
            api.get(
                    "/api/v1/zmanim?lat=31.7683&lng=35.2137&date=2026-06-22&tz=Asia/Jerusalem",
                    origin,
                    SECRET)
                .statusCode(),
            api.get("/api/v1/" + PROBE + "/nowhere", origin, SECRET).statusCode(),
            api.get("/api/v1/zmanim?lat=1&lng=2&date=2026-06-21&tz=UTC&p=" + PROBE)
                .statusCode(), // refused by the origin check
            api.get("/test/fail", origin, SECRET).statusCode(),
            api.get("/health").statusCode());
    lines = api.metrics.orElseThrow().flush();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static JsonNode route(String route) {
    return lines.stream()
        .map(Json::parse)
        .filter(l -> route.equals(l.path("Route").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + route + " in " + lines));
  }

  @Test
  void countingChangesNoAnswerNotEvenOfARequestRefusedBeforeRouting() {
    assertThat(statuses).containsExactly(200, 200, 404, 403, 500, 200);
  }

  @Test
  void everyLineIsAnEmfDocumentInTheConfiguredNamespace() {
    assertThat(lines).isNotEmpty().isEqualTo(api.metricLines);
    for (String line : lines) {
      JsonNode l = Json.parse(line);
      assertThat(l.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("ZmanimTest");
      assertThat(l.at("/_aws/Timestamp").isIntegralNumber()).isTrue();
      assertThat(l.path("Environment").asText()).isEqualTo("metrics-test");
    }
  }

  @Test
  void requestsAreCountedUnderTheirRouteTemplate() {
    assertThat(route("/api/v1/zmanim").path("Requests").asLong()).as("%s", lines).isEqualTo(2);
    assertThat(route("/health").path("Requests").asLong()).isEqualTo(1);
  }

  @Test
  void unknownPathsAndRequestsTheOriginCheckRefusedCountAsUnmatched() {
    assertThat(route(RequestMetrics.UNMATCHED_ROUTE).path("Requests").asLong())
        .as("%s", lines)
        .isEqualTo(2);
    assertThat(lines).hasSize(5); // the whole API, zmanim, health, test/fail, unmatched
  }

  @Test
  void aFailingHandlerCountsAsA5xxOfTheWholeApi() {
    JsonNode whole =
        lines.stream().map(Json::parse).filter(l -> !l.has("Route")).findFirst().orElseThrow();
    assertThat(whole.path("Errors5xx").asLong()).isEqualTo(1);
    assertThat(whole.path("Requests").asLong()).isEqualTo(6);
    assertThat(route("/test/fail").path("Requests").asLong()).isEqualTo(1);
  }

  @Test
  void noLineHoldsAQueryStringAHeaderARawPathOrTheSecret() {
    assertThat(String.join("\n", lines))
        .doesNotContain(PROBE)
        .doesNotContain(SECRET)
        .doesNotContain("?")
        .doesNotContain("lat=");
  }
}
