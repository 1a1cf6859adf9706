package com.zmanim.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.zmanim.api.support.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-minute EMF lines: what CloudWatch Logs needs to extract metrics, and nothing more. */
class RequestMetricsTest {
  private static final Instant MINUTE = Instant.parse("2026-12-02T00:41:00Z");

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now = MINUTE.plusSeconds(30);

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();
  private final List<String> lines = new ArrayList<>();
  private final RequestMetrics metrics = new RequestMetrics("Zmanim", "prod", lines::add, clock);

  private static JsonNode find(List<String> lines, String route) {
    return lines.stream()
        .map(Json::parse)
        .filter(l -> route == null ? !l.has("Route") : route.equals(l.path("Route").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + route + " in " + lines));
  }

  @Test
  void theWholeApisLineDeclaresItsFourMetricsInTheNamespaceWithDimensionEnvironment() {
    metrics.record("/ping", 200, 1.0);
    metrics.flush();
    JsonNode line = find(lines, null);
    JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
    assertThat(directive.path("Namespace").asText()).isEqualTo("Zmanim");
    assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Environment\"]]");
    List<String> names = new ArrayList<>();
    directive.path("Metrics").forEach(m -> names.add(m.path("Name").asText()));
    assertThat(names).containsExactly("Requests", "Errors5xx", "LatencyP50", "LatencyP99");
    names.forEach(
        n -> assertThat(line.path(n).isNumber()).as("%s is a number at the root", n).isTrue());
    assertThat(line.path("Environment").asText()).isEqualTo("prod");
  }

  @Test
  void eachRouteGetsALineWithItsRequestsAndP99UnderDimensionsEnvironmentAndRoute() {
    metrics.record("/api/v1/zmanim", 200, 2.0);
    metrics.record("/api/v1/zmanim", 200, 4.0);
    metrics.record("/health", 200, 1.0);
    metrics.flush();
    JsonNode zmanim = find(lines, "/api/v1/zmanim");
    assertThat(zmanim.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
        .isEqualTo("[[\"Environment\",\"Route\"]]");
    assertThat(zmanim.path("Requests").asLong()).isEqualTo(2);
    assertThat(zmanim.path("LatencyP99").asDouble()).isBetween(3.9, 4.1);
    assertThat(find(lines, "/health").path("Requests").asLong()).isEqualTo(1);
    assertThat(lines).hasSize(3);
  }

  @Test
  void fiveHundredsAreCountedAsErrorsAndOtherStatusesAreNot() {
    metrics.record("/api/v1/zmanim", 500, 1.0);
    metrics.record("/api/v1/zmanim", 503, 1.0);
    metrics.record("/api/v1/zmanim", 404, 1.0);
    metrics.record("/api/v1/zmanim", 200, 1.0);
    metrics.flush();
    assertThat(find(lines, null).path("Errors5xx").asLong()).isEqualTo(2);
    assertThat(find(lines, null).path("Requests").asLong()).isEqualTo(4);
  }

  @Test
  void aFlushCountsOnlyTheRequestsSinceTheLastOne() {
    metrics.record("/ping", 200, 1.0);
    metrics.record("/ping", 200, 1.0);
    metrics.flush();
    lines.clear();
    metrics.record("/ping", 200, 7.0);
    metrics.flush();
    assertThat(find(lines, null).path("Requests").asLong()).isEqualTo(1);
    assertThat(find(lines, null).path("LatencyP50").asDouble()).isBetween(6.8, 7.2);
  }

  @Test
  void aMinuteWithoutRequestsWritesNothing() {
    metrics.flush();
    assertThat(lines).isEmpty();
  }

  @Test
  void aFlushRightAfterAMinuteStartsIsStampedWithTheMinuteBefore() {
    metrics.record("/ping", 200, 1.0);
    clock.now = MINUTE.plusSeconds(60).plusMillis(20);
    metrics.flush();
    assertThat(find(lines, null).at("/_aws/Timestamp").asLong()).isEqualTo(MINUTE.toEpochMilli());
  }

  @Test
  void aFlushWithinAMinuteIsStampedWithThatMinute() {
    metrics.record("/ping", 200, 1.0);
    metrics.flush();
    assertThat(find(lines, null).at("/_aws/Timestamp").asLong()).isEqualTo(MINUTE.toEpochMilli());
  }

  @Test
  void aNamespaceCloudWatchWouldRefuseIsRefusedAtConstruction() {
    assertThatThrownBy(() -> new RequestMetrics("AWS/Logs", "prod", lines::add, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RequestMetrics("", "prod", lines::add, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
