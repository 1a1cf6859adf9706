package com.zmanim.api.zmanim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.api.localities.Locality;
import com.zmanim.api.localities.LocalityJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The response body is byte for byte what the API answered when it built the body as maps and
 * serialized them with Jackson (the reference below), for any place, day and locality.
 */
class ZmanimJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZmanimCalculator CALCULATOR = new ZmanimCalculator();
  private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().toList();

  @Property(tries = 400)
  void theBodyIsTheOneTheMapsMadeForAnyPlaceAndDay(
      @ForAll @DoubleRange(min = -90, max = 90) double latitude,
      @ForAll @DoubleRange(min = -180, max = 180) double longitude,
      @ForAll @DoubleRange(min = 0, max = 9000) double elevation,
      @ForAll("dates") LocalDate date,
      @ForAll("zones") String zone)
      throws Exception {
    ZmanimDay day =
        CALCULATOR.compute(new Place(latitude, longitude, elevation, ZoneId.of(zone)), date);
    assertThat(new String(ZmanimJson.write(JSON, day, null), StandardCharsets.UTF_8))
        .isEqualTo(JSON.writeValueAsString(reference(day, null)));
  }

  @Example
  void aLocalitysBodyIsTheOneTheMapsMade() throws Exception {
    Locality jerusalem =
        new Locality(
            281184,
            "Jerusalem",
            "IL",
            "06",
            31.76904,
            35.21633,
            null,
            801000,
            "Asia/Jerusalem",
            null);
    Locality high =
        new Locality(
            3936456,
            "Lima",
            "PE",
            "15",
            -12.04318,
            -77.02824,
            154.0,
            7737002,
            "America/Lima",
            null);
    for (Locality l : List.of(jerusalem, high)) {
      double elevation = l.elevationMetres() == null ? 0 : l.elevationMetres();
      // A Friday: candle lighting is present.
      ZmanimDay day =
          CALCULATOR.compute(
              new Place(l.latitude(), l.longitude(), elevation, ZoneId.of(l.timeZone())),
              LocalDate.of(2026, 11, 27));
      assertThat(new String(ZmanimJson.write(JSON, day, l), StandardCharsets.UTF_8))
          .isEqualTo(JSON.writeValueAsString(reference(day, l)));
    }
  }

  @Example
  void polarDaysAndNightsGiveTheSameNullsAndReasons() throws Exception {
    for (LocalDate date :
        List.of(
            LocalDate.of(2026, 6, 21), LocalDate.of(2026, 12, 21), LocalDate.of(2026, 12, 25))) {
      ZmanimDay day =
          CALCULATOR.compute(new Place(78.22, 15.65, 0, ZoneId.of("Arctic/Longyearbyen")), date);
      assertThat(new String(ZmanimJson.write(JSON, day, null), StandardCharsets.UTF_8))
          .isEqualTo(JSON.writeValueAsString(reference(day, null)));
    }
  }

  @Property(tries = 3000)
  void aTimeIsFormattedAsTheFormatterFormatsIt(
      @ForAll @LongRange(min = -2_240_000_000L, max = 7_300_000_000L) long epochSecond,
      @ForAll("zones") String zone) {
    OffsetDateTime t =
        Instant.ofEpochSecond(epochSecond).atZone(ZoneId.of(zone)).toOffsetDateTime();
    assertThat(ZmanimJson.format(t.toEpochSecond(), t.getOffset()))
        .isEqualTo(ZmanimJson.TIME.format(t));
  }

  @Example
  void offsetsWithSecondsAndNegativeOffsetsAreFormattedAsTheFormatterFormatsThem() {
    for (ZoneOffset offset :
        List.of(
            ZoneOffset.UTC,
            ZoneOffset.ofHoursMinutes(-9, -30),
            ZoneOffset.ofHoursMinutes(5, 45),
            ZoneOffset.ofHoursMinutesSeconds(-0, -44, -30),
            ZoneOffset.ofHoursMinutesSeconds(0, 0, 30),
            ZoneOffset.ofHours(-12),
            ZoneOffset.ofHours(14))) {
      OffsetDateTime t = OffsetDateTime.of(1960, 1, 2, 3, 4, 5, 0, offset);
      assertThat(ZmanimJson.format(t.toEpochSecond(), t.getOffset()))
          .as(offset.getId())
          .isEqualTo(ZmanimJson.TIME.format(t));
    }
  }

  @Property(tries = 2000)
  void aStringIsWrittenAsJacksonWritesIt(@ForAll String s) throws Exception {
    assertThat(ZmanimJson.string(JSON, s)).isEqualTo(JSON.writeValueAsBytes(s));
  }

  @Example
  void quotesControlCharactersAndNonAsciiAreWrittenAsJacksonWritesThem() throws Exception {
    // Jackson's UTF-8 writer (the one the body used) escapes a surrogate pair; its String writer
    // does not: the bytes are the reference.
    for (String s :
        List.of(
            "Asia/Jerusalem", "8.5\u00b0 below", "a\"b\\c", "tab\there\n", "\ud83d\ude00", "")) {
      assertThat(new String(ZmanimJson.string(JSON, s), StandardCharsets.UTF_8))
          .as(s)
          .isEqualTo(new String(JSON.writeValueAsBytes(s), StandardCharsets.UTF_8));
    }
  }

  @Provide
  Arbitrary<LocalDate> dates() {
    return Arbitraries.integers()
        .between(0, (int) (ZmanimRoutes.MAX_DATE.toEpochDay() - ZmanimRoutes.MIN_DATE.toEpochDay()))
        .map(ZmanimRoutes.MIN_DATE::plusDays);
  }

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of(ZONES);
  }

  /** The body as the API built it before it was streamed: nested maps that Jackson serializes. */
  private static Map<String, Object> reference(ZmanimDay day, Locality locality) {
    Map<String, Object> location = new LinkedHashMap<>();
    location.put("latitude", day.place().latitude());
    location.put("longitude", day.place().longitude());
    location.put("elevation", day.place().elevationMetres());
    if (locality != null) {
      location.put("locality", LocalityJson.of(locality));
    }
    Map<String, Object> times = new LinkedHashMap<>();
    Map<String, Object> reasons = new LinkedHashMap<>();
    day.zmanim().forEach((name, zman) -> put(times, reasons, name, zman));
    put(times, reasons, "candleLighting", day.candleLighting());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("date", day.date().toString());
    body.put("timeZone", day.place().zone().getId());
    body.put("location", location);
    body.put("zmanim", times);
    body.put("unavailable", reasons);
    body.put("candleLightingMinutesBeforeSunset", ZmanimCalculator.CANDLE_LIGHTING_MINUTES);
    return body;
  }

  private static void put(
      Map<String, Object> times, Map<String, Object> reasons, String name, Zman zman) {
    times.put(name, zman.time() == null ? null : ZmanimJson.TIME.format(zman.time()));
    if (zman.reason() != null) {
      reasons.put(name, zman.reason());
    }
  }
}
