package com.zmanim.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zmanim.api.support.Json;
import com.zmanim.api.support.RunningApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Parameter parsing over random input: it either succeeds or refuses with a 400 naming the
 * parameter; through HTTP (the real app on real PostgreSQL/Redis), no query ever gets a 5xx.
 */
class ParamsPropertiesTest {
  /** How dates were read before the usual form was read by hand. */
  private static final DateTimeFormatter STRICT_ISO_DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

  @Property(tries = 2000)
  void parsingAnyStringEitherSucceedsOrIsA400NamingTheParameter(@ForAll("anyValue") String value) {
    Params p = new Params(Map.of("x", value));
    check(() -> p.decimal("x", -90, 90));
    check(() -> p.integer("x", 1, 50));
    check(() -> p.requiredDate("x", LocalDate.of(1900, 1, 1), LocalDate.of(2199, 12, 31)));
    check(() -> p.requiredZone("x"));
  }

  @Property(tries = 3000)
  void aDateIsReadAsTheStrictFormatterReadsItOrRefusedAsItRefusesIt(
      @ForAll("dateLike") String value) {
    LocalDate expected;
    try {
      expected = LocalDate.parse(value, STRICT_ISO_DATE);
    } catch (DateTimeException e) {
      assertThatThrownBy(() -> Params.isoDate(value))
          .as(value)
          .isInstanceOf(DateTimeException.class);
      return;
    }
    assertThat(Params.isoDate(value)).as(value).isEqualTo(expected);
  }

  @Property(tries = 400)
  void noQueryToTheZmanimRouteGetsA5xx(@ForAll("zmanimQueries") String query) {
    assertNo5xx("/api/v1/zmanim?" + query);
  }

  @Property(tries = 300)
  void noQueryToTheLocalityRoutesGetsA5xx(
      @ForAll("localityQueries") String query, @ForAll boolean nearby) {
    assertNo5xx((nearby ? "/api/v1/localities/nearby?" : "/api/v1/localities/search?") + query);
  }

  @Property(tries = 200)
  void noRawRequestTargetGetsA5xx(@ForAll("rawTargets") String target) {
    RunningApi.RawResponse r = RunningApi.shared().rawGet(target);
    assertThat(r.status()).as(target + " -> " + r.head()).isBetween(200, 499);
  }

  private static void assertNo5xx(String pathAndQuery) {
    var r = RunningApi.shared().get(pathAndQuery);
    assertThat(r.statusCode()).as(pathAndQuery + " -> " + r.body()).isBetween(200, 499);
    if (r.statusCode() == 400) {
      assertThat(Json.parse(r.body()).get("parameter")).as(r.body()).isNotNull();
    }
  }

  private static void check(Runnable parse) {
    try {
      parse.run();
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.parameter()).isEqualTo("x");
      assertThat(e.accepted()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> anyValue() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("0123456789.-+eE:/TZ _").ofMaxLength(30),
        Arbitraries.doubles().map(d -> Double.toString(d)),
        Arbitraries.of(
            "NaN",
            "-0",
            "90.0000000000001",
            "1e309",
            "2026-02-29",
            "0000-01-01",
            "Asia/Jerusalem",
            "UTC",
            "../etc"));
  }

  @Provide
  Arbitrary<String> dateLike() {
    Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofLength(2);
    return Arbitraries.oneOf(
        Combinators.combine(
                Arbitraries.integers().between(0, 9999),
                Arbitraries.integers().between(0, 14),
                Arbitraries.integers().between(0, 32))
            .as((y, m, d) -> String.format("%04d-%02d-%02d", y, m, d)),
        Combinators.combine(digits, digits, digits, digits)
            .as((a, b, c, d) -> a + b + "-" + c + "-" + d),
        Arbitraries.strings().withChars("0123456789-+\u0661 ").ofMinLength(8).ofMaxLength(12),
        Arbitraries.of("+12026-01-01", "2026-1-01", "2026-01-1", "202\uff16-01-01", "2026/01/01"));
  }

  /** Values that are sometimes valid, sometimes almost valid, sometimes junk. */
  private static Arbitrary<String> value(Arbitrary<String> plausible) {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, plausible),
        net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(40)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMinLength(90).ofMaxLength(300)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("")));
  }

  private static String pair(String name, String v) {
    return v == null ? "" : name + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  @Provide
  Arbitrary<String> zmanimQueries() {
    Arbitrary<String> lat =
        value(Arbitraries.doubles().between(-100, 100).map(d -> Double.toString(d)))
            .injectNull(0.1);
    Arbitrary<String> lng =
        value(Arbitraries.doubles().between(-200, 200).map(d -> Double.toString(d)))
            .injectNull(0.1);
    Arbitrary<String> date =
        value(
                Arbitraries.integers()
                    .between(1850, 2250)
                    .map(y -> y + "-0" + (1 + y % 9) + "-" + (10 + y % 22)))
            .injectNull(0.1);
    Arbitrary<String> tz =
        value(
                Arbitraries.of(
                    "Asia/Jerusalem",
                    "Europe/Oslo",
                    "Pacific/Kiritimati",
                    "America/Sao_Paulo",
                    "UTC",
                    "Etc/GMT+5",
                    "+03:00"))
            .injectNull(0.1);
    Arbitrary<String> locality =
        value(Arbitraries.longs().between(-5, 13_000_000).map(n -> Long.toString(n)))
            .injectNull(0.7);
    Arbitrary<String> elevation =
        value(Arbitraries.doubles().between(-1000, 10_000).map(d -> Double.toString(d)))
            .injectNull(0.6);
    return Combinators.combine(lat, lng, date, tz, locality, elevation)
        .as(
            (a, b, c, d, e, f) ->
                String.join(
                    "&",
                    pair("lat", a),
                    pair("lng", b),
                    pair("date", c),
                    pair("tz", d),
                    pair("locality", e),
                    pair("elevation", f)));
  }

  @Provide
  Arbitrary<String> localityQueries() {
    Arbitrary<String> q =
        value(
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .withChars("%_\\' -éü")
                    .ofMinLength(1)
                    .ofMaxLength(20))
            .injectNull(0.1);
    Arbitrary<String> lat =
        value(Arbitraries.doubles().between(-95, 95).map(d -> Double.toString(d))).injectNull(0.1);
    Arbitrary<String> lng =
        value(Arbitraries.doubles().between(-185, 185).map(d -> Double.toString(d)))
            .injectNull(0.1);
    Arbitrary<String> limit =
        value(Arbitraries.integers().between(-3, 60).map(i -> Integer.toString(i))).injectNull(0.3);
    return Combinators.combine(q, lat, lng, limit)
        .as(
            (a, b, c, d) ->
                String.join("&", pair("q", a), pair("lat", b), pair("lng", c), pair("limit", d)));
  }

  @Provide
  Arbitrary<String> rawTargets() {
    Arbitrary<String> junk =
        Arbitraries.strings().withChars("%zZ0&=?/.;#+ab[]'\"\\").ofMaxLength(40);
    return Combinators.combine(
            Arbitraries.of(
                "/api/v1/zmanim?",
                "/api/v1/localities/search?q=",
                "/api/v1/localities/nearby?",
                "/health?",
                "/x/"),
            junk)
        .as((path, j) -> path + j.replace(" ", "%20").replace("#", "%23"));
  }
}
