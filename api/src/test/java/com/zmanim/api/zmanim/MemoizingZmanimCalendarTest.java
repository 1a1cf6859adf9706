package com.zmanim.api.zmanim;

import static org.assertj.core.api.Assertions.assertThat;

import com.kosherjava.zmanim.ComplexZmanimCalendar;
import com.kosherjava.zmanim.util.GeoLocation;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The memoizing calendar answers exactly what KosherJava's own calendar answers, however it is
 * asked.
 */
class MemoizingZmanimCalendarTest {
  /** Every time the API publishes, the events they derive from, and a few the API does not use. */
  private static final Map<String, Function<ComplexZmanimCalendar, Date>> TIMES =
      new LinkedHashMap<>();

  static {
    TIMES.put("alos16Point1Degrees", ComplexZmanimCalendar::getAlos16Point1Degrees);
    TIMES.put("alos72", ComplexZmanimCalendar::getAlos72);
    TIMES.put("misheyakir11Point5Degrees", ComplexZmanimCalendar::getMisheyakir11Point5Degrees);
    TIMES.put("sunrise", ComplexZmanimCalendar::getSunrise);
    TIMES.put("seaLevelSunrise", ComplexZmanimCalendar::getSeaLevelSunrise);
    TIMES.put("sofZmanShmaMGA", ComplexZmanimCalendar::getSofZmanShmaMGA);
    TIMES.put("sofZmanShmaGRA", ComplexZmanimCalendar::getSofZmanShmaGRA);
    TIMES.put("sofZmanTfilaMGA", ComplexZmanimCalendar::getSofZmanTfilaMGA);
    TIMES.put("sofZmanTfilaGRA", ComplexZmanimCalendar::getSofZmanTfilaGRA);
    TIMES.put("chatzos", ComplexZmanimCalendar::getChatzos);
    TIMES.put("sunTransit", ComplexZmanimCalendar::getSunTransit);
    TIMES.put("minchaGedola", ComplexZmanimCalendar::getMinchaGedola);
    TIMES.put("minchaKetana", ComplexZmanimCalendar::getMinchaKetana);
    TIMES.put("plagHamincha", ComplexZmanimCalendar::getPlagHamincha);
    TIMES.put("sunset", ComplexZmanimCalendar::getSunset);
    TIMES.put("seaLevelSunset", ComplexZmanimCalendar::getSeaLevelSunset);
    TIMES.put("candleLighting", ComplexZmanimCalendar::getCandleLighting);
    TIMES.put("tzais8Point5Degrees", ComplexZmanimCalendar::getTzaisGeonim8Point5Degrees);
    TIMES.put("tzais72", ComplexZmanimCalendar::getTzais72);
    TIMES.put("beginCivilTwilight", ComplexZmanimCalendar::getBeginCivilTwilight);
    TIMES.put("endAstronomicalTwilight", ComplexZmanimCalendar::getEndAstronomicalTwilight);
    TIMES.put("tzais90", ComplexZmanimCalendar::getTzais90);
    TIMES.put("fixedLocalChatzos", ComplexZmanimCalendar::getFixedLocalChatzos);
  }

  private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().toList();

  @Property(tries = 500)
  void everyTimeEqualsKosherJavasOwnAnywhereOnAnyDay(
      @ForAll @DoubleRange(min = -90, max = 90) double latitude,
      @ForAll @DoubleRange(min = -180, max = 180) double longitude,
      @ForAll @DoubleRange(min = 0, max = 9000) double elevation,
      @ForAll("dates") LocalDate date,
      @ForAll("zones") String zone,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    ComplexZmanimCalendar plain =
        calendar(new ComplexZmanimCalendar(location(latitude, longitude, elevation, zone)), date);
    ComplexZmanimCalendar memo =
        calendar(new MemoizingZmanimCalendar(location(latitude, longitude, elevation, zone)), date);
    Map<String, Long> expected = times(plain, names(0));
    // Asked in another order, then again: the second answers come from the memo.
    assertThat(times(memo, names(seed))).isEqualTo(expected);
    assertThat(times(memo, names(seed + 1))).isEqualTo(expected);
  }

  @Example
  void moreDistinctEventsThanTheMemoHoldsAreStillKosherJavasOwn() {
    GeoLocation place = location(31.77, 35.21, 754, "Asia/Jerusalem");
    ComplexZmanimCalendar plain =
        calendar(new ComplexZmanimCalendar(place), LocalDate.of(2026, 3, 10));
    ComplexZmanimCalendar memo =
        calendar(
            new MemoizingZmanimCalendar((GeoLocation) place.clone()), LocalDate.of(2026, 3, 10));
    for (int round = 0; round < 2; round++) {
      for (double degrees = 0.5; degrees < 20; degrees += 0.5) {
        assertThat(memo.getSunriseOffsetByDegrees(90 + degrees))
            .as(degrees + "° before sunrise")
            .isEqualTo(plain.getSunriseOffsetByDegrees(90 + degrees));
        assertThat(memo.getSunsetOffsetByDegrees(90 + degrees))
            .as(degrees + "° after sunset")
            .isEqualTo(plain.getSunsetOffsetByDegrees(90 + degrees));
      }
    }
  }

  @Example
  void atSeaLevelTheSeaLevelAndTheElevationAdjustedTimesAreKosherJavasOwn() {
    for (String zone :
        List.of("Asia/Jerusalem", "America/New_York", "Pacific/Funafuti", "America/Nuuk")) {
      for (LocalDate date = LocalDate.of(2026, 1, 2);
          date.getYear() == 2026;
          date = date.plusDays(7)) {
        GeoLocation place =
            location(
                zone.equals("America/Nuuk") ? 64.18 : 31.77,
                zone.equals("Pacific/Funafuti") ? 179.19 : 35.21,
                0,
                zone);
        ComplexZmanimCalendar plain = calendar(new ComplexZmanimCalendar(place), date);
        ComplexZmanimCalendar memo =
            calendar(new MemoizingZmanimCalendar((GeoLocation) place.clone()), date);
        // Sea-level times first: they then answer the elevation-adjusted ones too.
        List<String> seaLevelFirst =
            new ArrayList<>(List.of("seaLevelSunrise", "seaLevelSunset", "candleLighting"));
        seaLevelFirst.addAll(names(0));
        assertThat(times(memo, seaLevelFirst))
            .as(zone + " " + date)
            .isEqualTo(times(plain, names(0)));
      }
    }
  }

  @Example
  void acrossTheAntimeridianAndSamoasSkippedDayEveryTimeIsKosherJavasOwn() {
    // Apia and Kiritimati are 20+ hours from local mean time (KosherJava adjusts their day);
    // Apia skipped 30 December 2011 altogether.
    Map<String, double[]> places =
        Map.of(
            "Pacific/Apia",
            new double[] {-13.83, -171.76},
            "Pacific/Kiritimati",
            new double[] {1.87, -157.43},
            "Pacific/Tongatapu",
            new double[] {-21.14, -175.2},
            "Asia/Anadyr",
            new double[] {64.73, 177.51});
    places.forEach(
        (zone, latLng) -> {
          for (LocalDate date = LocalDate.of(2011, 12, 20);
              date.isBefore(LocalDate.of(2012, 1, 10));
              date = date.plusDays(1)) {
            GeoLocation place = location(latLng[0], latLng[1], 10, zone);
            ComplexZmanimCalendar plain = calendar(new ComplexZmanimCalendar(place), date);
            ComplexZmanimCalendar memo =
                calendar(new MemoizingZmanimCalendar((GeoLocation) place.clone()), date);
            assertThat(times(memo, names(3)))
                .as(zone + " " + date)
                .isEqualTo(times(plain, names(0)));
          }
        });
  }

  @Example
  void aCalendarMovedThroughGetCalendarAnswersForItsNewDate() {
    ComplexZmanimCalendar memo =
        calendar(new MemoizingZmanimCalendar(jerusalem()), LocalDate.of(2026, 3, 10));
    times(memo, names(0));
    memo.getCalendar().add(Calendar.DAY_OF_MONTH, 100);
    ComplexZmanimCalendar plain =
        calendar(new ComplexZmanimCalendar(jerusalem()), LocalDate.of(2026, 6, 18));
    assertThat(times(memo, names(0))).isEqualTo(times(plain, names(0)));
  }

  @Example
  void aCloneMovedToAnotherDateLeavesTheOriginalsAnswersAlone() {
    ComplexZmanimCalendar memo =
        calendar(new MemoizingZmanimCalendar(jerusalem()), LocalDate.of(2026, 3, 10));
    Map<String, Long> before = times(memo, names(0));
    ComplexZmanimCalendar clone = (ComplexZmanimCalendar) memo.clone();
    clone.getCalendar().add(Calendar.DAY_OF_MONTH, 1);
    Map<String, Long> cloneTimes = times(clone, names(0));
    assertThat(cloneTimes).isNotEqualTo(before);
    assertThat(times(memo, names(0))).isEqualTo(before);
  }

  @Example
  void aSetterForgetsWhatWasComputedBefore() {
    ComplexZmanimCalendar memo =
        calendar(new MemoizingZmanimCalendar(jerusalem()), LocalDate.of(2026, 3, 10));
    times(memo, names(0));
    memo.setUseElevation(false);
    ComplexZmanimCalendar plain =
        calendar(new ComplexZmanimCalendar(jerusalem()), LocalDate.of(2026, 3, 10));
    plain.setUseElevation(false);
    assertThat(times(memo, names(0))).isEqualTo(times(plain, names(0)));
  }

  @Example
  void aReturnedDateChangedByItsCallerDoesNotChangeTheNextAnswer() {
    ComplexZmanimCalendar memo =
        calendar(new MemoizingZmanimCalendar(jerusalem()), LocalDate.of(2026, 3, 10));
    Date sunrise = memo.getSunrise();
    long original = sunrise.getTime();
    sunrise.setTime(0);
    memo.getSunTransit().setTime(0);
    assertThat(memo.getSunrise().getTime()).isEqualTo(original);
    assertThat(memo.getSunTransit().getTime()).isNotZero();
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

  private static GeoLocation jerusalem() {
    return location(31.7683, 35.2137, 754, "Asia/Jerusalem");
  }

  private static GeoLocation location(
      double latitude, double longitude, double elevation, String zone) {
    return new GeoLocation(
        "place", latitude, longitude, elevation, TimeZone.getTimeZone(ZoneId.of(zone)));
  }

  /** Set up as ZmanimCalculator sets up its calendars. */
  private static ComplexZmanimCalendar calendar(ComplexZmanimCalendar czc, LocalDate date) {
    czc.setUseElevation(true);
    czc.setCandleLightingOffset(ZmanimCalculator.CANDLE_LIGHTING_MINUTES);
    Calendar calendar = new GregorianCalendar(czc.getGeoLocation().getTimeZone());
    calendar.clear();
    calendar.set(date.getYear(), date.getMonthValue() - 1, date.getDayOfMonth(), 12, 0, 0);
    czc.setCalendar(calendar);
    return czc;
  }

  /** The names rotated by {@code shift}: the same times asked in another order. */
  private static List<String> names(int shift) {
    List<String> names = new ArrayList<>(TIMES.keySet());
    Collections.rotate(names, shift);
    return names;
  }

  /** Each time in epoch milliseconds (null when it does not occur), keyed by name. */
  private static Map<String, Long> times(ComplexZmanimCalendar czc, List<String> names) {
    Map<String, Long> times = new LinkedHashMap<>();
    for (String name : TIMES.keySet()) {
      times.put(name, null);
    }
    for (String name : names) {
      Date t = TIMES.get(name).apply(czc);
      times.put(name, t == null ? null : t.getTime());
    }
    return times;
  }
}
