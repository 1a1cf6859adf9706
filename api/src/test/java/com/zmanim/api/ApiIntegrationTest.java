package com.zmanim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zmanim.api.support.Json;
import com.zmanim.api.support.RunningApi;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API against real PostgreSQL + PostGIS and Redis, with the real migrations. */
class ApiIntegrationTest {
  private static RunningApi api;

  @BeforeAll
  static void start() {
    api = RunningApi.shared();
  }

  @Test
  void healthAnswers200WithDatabaseOkCacheOkAndTheVersion() {
    HttpResponse<String> r = api.get("/health");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = Json.parse(r.body());
    assertThat(body.get("status").asText()).isEqualTo("ok");
    assertThat(body.get("database").asText()).isEqualTo("ok");
    assertThat(body.get("cache").asText()).isEqualTo("ok");
    assertThat(body.get("version").asText()).isEqualTo("0.0.0-test");
  }

  @Test
  void zmanimByCoordinatesGivesLocalTimesWithTheZonesOffset() {
    HttpResponse<String> r =
        api.get("/api/v1/zmanim?lat=31.7683&lng=35.2137&date=2026-06-21&tz=Asia/Jerusalem");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode z = Json.parse(r.body()).get("zmanim");
    OffsetDateTime sunrise = OffsetDateTime.parse(z.get("sunrise").asText());
    assertThat(sunrise.getOffset().getTotalSeconds()).isEqualTo(3 * 3600);
    assertThat(sunrise.toLocalDate()).hasToString("2026-06-21");
    assertThat(sunrise.getHour()).isEqualTo(5);
  }

  @Test
  void zmanimByLocalityUsesTheLocalitysPlaceAndZone() {
    // GeoNames 281184 = Jerusalem
    HttpResponse<String> r = api.get("/api/v1/zmanim?locality=281184&date=2026-11-27");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = Json.parse(r.body());
    assertThat(body.get("timeZone").asText()).isEqualTo("Asia/Jerusalem");
    assertThat(body.at("/location/locality/name").asText()).isEqualTo("Jerusalem");
    assertThat(body.at("/zmanim/candleLighting").isTextual()).isTrue(); // a Friday
  }

  @Test
  void anUnknownLocalityIs404Json() {
    HttpResponse<String> r = api.get("/api/v1/zmanim?locality=999999999&date=2026-11-27");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(Json.parse(r.body()).get("error").asText()).isEqualTo("not_found");
  }

  @Test
  void searchFindsAPlaceByPrefixIgnoringCaseAndAccents() {
    HttpResponse<String> r = api.get("/api/v1/localities/search?q=zuri&limit=5");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode results = Json.parse(r.body()).get("results");
    assertThat(results.get(0).get("name").asText()).isEqualTo("Zürich");
    assertThat(results.get(0).get("timeZone").asText()).isEqualTo("Europe/Zurich");
  }

  @Test
  void searchToleratesATypoThroughTrigrams() {
    HttpResponse<String> r = api.get("/api/v1/localities/search?q=Jerusalim");
    JsonNode results = Json.parse(r.body()).get("results");
    assertThat(results).isNotEmpty();
    assertThat(results.get(0).get("name").asText()).isEqualTo("Jerusalem");
  }

  @Test
  void aRepeatedSearchIsServedFromRedis() {
    String q = "/api/v1/localities/search?q=Manchester&limit=3";
    HttpResponse<String> first = api.get(q);
    HttpResponse<String> second = api.get(q);
    assertThat(first.headers().firstValue("X-Cache")).hasValue("miss");
    assertThat(second.headers().firstValue("X-Cache")).hasValue("hit");
    assertThat(second.body()).isEqualTo(first.body());
  }

  @Test
  void nearbyListsTheClosestPlacesFirstWithDistancesInMetres() {
    // A point in central London: the nearest place of 15,000+ people is within a few km.
    HttpResponse<String> r = api.get("/api/v1/localities/nearby?lat=51.5074&lng=-0.1278&limit=5");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode results = Json.parse(r.body()).get("results");
    assertThat(results).hasSize(5);
    double previous = -1;
    for (JsonNode n : results) {
      double d = n.get("distanceMetres").asDouble();
      assertThat(d).isGreaterThanOrEqualTo(previous);
      previous = d;
      assertThat(n.get("country").asText()).isEqualTo("GB");
    }
    assertThat(results.get(0).get("distanceMetres").asDouble()).isLessThan(10_000);
  }

  @Test
  void nearbyReadsLatitudeAndLongitudeInThatOrder() {
    // lat=-33.87, lng=151.21 is Sydney; swapped it would be off Antarctica (and out of range).
    JsonNode first =
        Json.parse(api.get("/api/v1/localities/nearby?lat=-33.8688&lng=151.2093&limit=1").body())
            .get("results")
            .get(0);
    assertThat(first.get("country").asText()).isEqualTo("AU");
    assertThat(first.get("timeZone").asText()).isEqualTo("Australia/Sydney");
  }

  @Test
  void aBadParameterIs400NamingItAndTheAcceptedRange() {
    HttpResponse<String> r = api.get("/api/v1/zmanim?lat=95&lng=10&date=2026-01-01&tz=UTC");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode body = Json.parse(r.body());
    assertThat(body.get("parameter").asText()).isEqualTo("lat");
    assertThat(body.get("accepted").asText()).isEqualTo("a decimal number from -90 to 90");
  }

  @Test
  void aTooLargeLimitIs400() {
    HttpResponse<String> r = api.get("/api/v1/localities/nearby?lat=0&lng=0&limit=51");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Json.parse(r.body()).get("parameter").asText()).isEqualTo("limit");
  }

  @Test
  void aTooLongSearchIs400() {
    HttpResponse<String> r = api.get("/api/v1/localities/search?q=" + "a".repeat(65));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Json.parse(r.body()).get("parameter").asText()).isEqualTo("q");
  }

  @Test
  void pingAnswersWithoutTouchingTheDatabase() {
    HttpResponse<String> r = api.get("/ping");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.parse(r.body()).get("pong").asBoolean()).isTrue();
  }

  @Test
  void anUnknownRouteIs404Json() {
    HttpResponse<String> r = api.get("/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(Json.parse(r.body()).get("error").asText()).isEqualTo("not_found");
  }

  @Test
  void aMalformedQueryStringIs400Not500() {
    RunningApi.RawResponse r = api.rawGet("/api/v1/zmanim?lat=%zz&lng=1");
    assertThat(r.status()).isEqualTo(400);
    assertThat(Json.parse(r.body()).get("error").asText()).isEqualTo("bad_request");
  }

  @Test
  void anAllowedOriginGetsCorsHeaders() {
    HttpResponse<String> r =
        api.get("/api/v1/localities/search?q=Paris", "Origin", "https://zmanim.example");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://zmanim.example");
    HttpResponse<String> other =
        api.get("/api/v1/localities/search?q=Paris", "Origin", "https://evil.example");
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }
}
