package com.zmanim.api.zmanim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The mapping from place and date to the day's times (KosherJava does the astronomy). */
class ZmanimCalculatorTest {
  private static final ZmanimCalculator CALC = new ZmanimCalculator();
  private static final Place JERUSALEM =
      new Place(31.7683, 35.2137, 0, ZoneId.of("Asia/Jerusalem"));
  private static final Place NEW_YORK =
      new Place(40.7128, -74.0060, 0, ZoneId.of("America/New_York"));

  private static OffsetDateTime time(ZmanimDay day, String name) {
    Zman z = day.zmanim().get(name);
    assertThat(z.time()).as(name + " (" + z.reason() + ")").isNotNull();
    return z.time();
  }

  @Test
  void candleLightingDaysAreKosherJavasForEveryDateServedAskedOnceOrTwice() {
    ZmanimCalculator calculator = new ZmanimCalculator();
    for (int round = 0; round < 2; round++) {
      for (LocalDate d = LocalDate.of(1899, 12, 20);
          d.isBefore(LocalDate.of(2200, 1, 10));
          d = d.plusDays(1)) {
        for (boolean inIsrael : new boolean[] {false, true}) {
          assertThat(calculator.candles(d, inIsrael))
              .as(d + (inIsrael ? " in Israel" : ""))
              .isEqualTo(ZmanimCalculator.Candles.of(d, inIsrael));
        }
      }
    }
  }

  @Test
  void everyTimeOfAnOrdinaryDayIsPresentAndInDayOrder() {
    ZmanimDay day = CALC.compute(JERUSALEM, LocalDate.of(2026, 3, 10));
    assertThat(day.zmanim().keySet()).containsExactlyElementsOf(ZmanimCalculator.NAMES);
    OffsetDateTime previous = null;
    for (String name : ZmanimCalculator.NAMES) {
      if (name.equals("alos72Minutes")
          || name.equals("misheyakir11Point5Degrees")
          || name.equals("tzais72Minutes")) {
        continue; // opinions that interleave with their neighbours; checked by their own
        // definitions
      }
      OffsetDateTime t = time(day, name);
      assertThat(t.toLocalDate()).as(name).isEqualTo(day.date());
      if (previous != null) {
        assertThat(t).as(name).isAfter(previous);
      }
      previous = t;
    }
  }

  @Test
  void jerusalemSunriseAndSunsetOnTheSummerSolsticeMatchPublishedTimes() {
    // Published (sea level): sunrise ~05:33, sunset ~19:48 IDT (+03:00) on 21 June.
    ZmanimDay day = CALC.compute(JERUSALEM, LocalDate.of(2026, 6, 21));
    assertThat(time(day, "sunrise").getOffset()).isEqualTo(ZoneOffset.ofHours(3));
    assertThat(minutes(time(day, "sunrise").toLocalTime())).isCloseTo(5 * 60 + 33, within(3L));
    assertThat(minutes(time(day, "sunset").toLocalTime())).isCloseTo(19 * 60 + 48, within(3L));
  }

  @Test
  void seventyTwoMinuteTimesAreSeventyTwoMinutesFromSunriseAndSunset() {
    ZmanimDay day = CALC.compute(NEW_YORK, LocalDate.of(2026, 5, 1));
    assertThat(Duration.between(time(day, "alos72Minutes"), time(day, "sunrise")).toMinutes())
        .isEqualTo(72);
    assertThat(Duration.between(time(day, "sunset"), time(day, "tzais72Minutes")).toMinutes())
        .isEqualTo(72);
  }

  @Test
  void latitudeAndLongitudeAreNotSwapped() {
    // (40.71, -74.01) is New York; swapped, (-74.01, 40.71) would be in Antarctica with no sunset
    // in
    // January. New York's sunrise in January is about 07:20 EST.
    ZmanimDay day = CALC.compute(NEW_YORK, LocalDate.of(2026, 1, 15));
    assertThat(minutes(time(day, "sunrise").toLocalTime())).isCloseTo(7 * 60 + 19, within(4L));
    assertThat(time(day, "sunset").getOffset()).isEqualTo(ZoneOffset.ofHours(-5));
  }

  @Test
  void springForwardDayUsesTheNewOffsetAndShiftsClockTimesByAnHour() {
    // US DST starts 2026-03-08 at 02:00 local.
    ZmanimDay before = CALC.compute(NEW_YORK, LocalDate.of(2026, 3, 7));
    ZmanimDay change = CALC.compute(NEW_YORK, LocalDate.of(2026, 3, 8));
    assertThat(time(before, "sunrise").getOffset()).isEqualTo(ZoneOffset.ofHours(-5));
    assertThat(time(change, "sunrise").getOffset()).isEqualTo(ZoneOffset.ofHours(-4));
    long clockShift =
        minutes(time(change, "sunrise").toLocalTime())
            - minutes(time(before, "sunrise").toLocalTime());
    assertThat(clockShift)
        .isBetween(57L, 60L); // one hour later on the clock, less ~1.5 min of seasonal change
    // The instants themselves move by about a day, not a day plus an hour.
    assertThat(Duration.between(time(before, "sunrise"), time(change, "sunrise")).toMinutes())
        .isBetween(24 * 60 - 3L, 24 * 60L);
  }

  @Test
  void fallBackDayUsesTheOldOffsetBeforeTwoAndTheNewOneAfter() {
    // US DST ends 2026-11-01 at 02:00 local; every zman that day is after 02:00, so EST (-05:00).
    ZmanimDay before = CALC.compute(NEW_YORK, LocalDate.of(2026, 10, 31));
    ZmanimDay change = CALC.compute(NEW_YORK, LocalDate.of(2026, 11, 1));
    assertThat(time(before, "sunrise").getOffset()).isEqualTo(ZoneOffset.ofHours(-4));
    assertThat(time(change, "alos16Point1Degrees").getOffset()).isEqualTo(ZoneOffset.ofHours(-5));
    assertThat(time(change, "sunrise").getOffset()).isEqualTo(ZoneOffset.ofHours(-5));
    long clockShift =
        minutes(time(before, "sunrise").toLocalTime())
            - minutes(time(change, "sunrise").toLocalTime());
    assertThat(clockShift).isBetween(58L, 60L);
  }

  @Test
  void europeanDstChangeDaysBothDirections() {
    Place london = new Place(51.5074, -0.1278, 0, ZoneId.of("Europe/London"));
    assertThat(time(CALC.compute(london, LocalDate.of(2026, 3, 29)), "sunrise").getOffset())
        .isEqualTo(ZoneOffset.ofHours(1));
    assertThat(time(CALC.compute(london, LocalDate.of(2026, 3, 28)), "sunrise").getOffset())
        .isEqualTo(ZoneOffset.UTC);
    assertThat(time(CALC.compute(london, LocalDate.of(2026, 10, 25)), "sunrise").getOffset())
        .isEqualTo(ZoneOffset.UTC);
    assertThat(time(CALC.compute(london, LocalDate.of(2026, 10, 24)), "sunrise").getOffset())
        .isEqualTo(ZoneOffset.ofHours(1));
  }

  @Test
  void westOfTheDateLineAtUtcPlus13TheTimesFallOnTheRequestedDate() {
    // Apia, Samoa: longitude -171.8 but zone +13:00 (the date line was moved east of it in 2011).
    Place apia = new Place(-13.8333, -171.7667, 0, ZoneId.of("Pacific/Apia"));
    ZmanimDay day = CALC.compute(apia, LocalDate.of(2026, 7, 1));
    assertThat(time(day, "sunrise").toLocalDate()).isEqualTo(LocalDate.of(2026, 7, 1));
    assertThat(time(day, "sunset").toLocalDate()).isEqualTo(LocalDate.of(2026, 7, 1));
    assertThat(time(day, "sunrise").getOffset()).isEqualTo(ZoneOffset.ofHours(13));
    assertThat(time(day, "chatzos").toLocalTime())
        .isBetween(LocalTime.of(12, 0), LocalTime.of(13, 0));
  }

  @Test
  void atUtcPlus14TheTimesFallOnTheRequestedDate() {
    // Kiritimati: longitude -157.4 (UTC-10.5 by the sun) but zone +14:00, a whole day and half an
    // hour ahead: solar noon is about 12:44 local in February (12:30 + the equation of time).
    Place kiritimati = new Place(1.8721, -157.4278, 0, ZoneId.of("Pacific/Kiritimati"));
    ZmanimDay day = CALC.compute(kiritimati, LocalDate.of(2026, 2, 10));
    for (String name : new String[] {"sunrise", "chatzos", "sunset"}) {
      assertThat(time(day, name).toLocalDate()).as(name).isEqualTo(LocalDate.of(2026, 2, 10));
    }
    assertThat(time(day, "chatzos").toLocalTime())
        .isBetween(LocalTime.of(12, 35), LocalTime.of(12, 55));
  }

  @Test
  void nearTheAntimeridianAtUtcPlus12InOctoberTheTimesAreThoseOfTheRequestedDate() {
    // Funafuti, 179.2° E on UTC+12: solar noon is ~23:47 UTC of the previous day in late October.
    // KosherJava alone returns the times of the next day here; the calculator corrects for it.
    Place funafuti = new Place(-8.5167, 179.1833, 0, ZoneId.of("Pacific/Funafuti"));
    ZmanimDay day = CALC.compute(funafuti, LocalDate.of(2026, 10, 25));
    assertThat(time(day, "chatzos").toLocalDate()).isEqualTo(LocalDate.of(2026, 10, 25));
    assertThat(time(day, "chatzos").toLocalTime())
        .isBetween(LocalTime.of(11, 40), LocalTime.of(12, 0));
    assertThat(time(day, "sunrise").toLocalDate()).isEqualTo(LocalDate.of(2026, 10, 25));
    assertThat(time(day, "sunset").toLocalDate()).isEqualTo(LocalDate.of(2026, 10, 25));
  }

  @Test
  void eastOfTheDateLineAtUtcMinus11TheTimesFallOnTheRequestedDate() {
    Place pagoPago = new Place(-14.2781, -170.7025, 0, ZoneId.of("Pacific/Pago_Pago"));
    ZmanimDay day = CALC.compute(pagoPago, LocalDate.of(2026, 7, 1));
    assertThat(time(day, "sunrise").toLocalDate()).isEqualTo(LocalDate.of(2026, 7, 1));
    assertThat(time(day, "sunset").toLocalDate()).isEqualTo(LocalDate.of(2026, 7, 1));
    assertThat(time(day, "sunrise").getOffset()).isEqualTo(ZoneOffset.ofHours(-11));
  }

  @Test
  void southernHemisphereDaysAreLongInDecemberWithDaylightSaving() {
    Place sydney = new Place(-33.8688, 151.2093, 0, ZoneId.of("Australia/Sydney"));
    ZmanimDay december = CALC.compute(sydney, LocalDate.of(2026, 12, 21));
    ZmanimDay june = CALC.compute(sydney, LocalDate.of(2026, 6, 21));
    assertThat(time(december, "sunrise").getOffset()).isEqualTo(ZoneOffset.ofHours(11));
    assertThat(time(june, "sunrise").getOffset()).isEqualTo(ZoneOffset.ofHours(10));
    Duration decemberDay = Duration.between(time(december, "sunrise"), time(december, "sunset"));
    Duration juneDay = Duration.between(time(june, "sunrise"), time(june, "sunset"));
    assertThat(decemberDay).isGreaterThan(Duration.ofHours(14));
    assertThat(juneDay).isLessThan(Duration.ofHours(10));
  }

  @Test
  void polarDayHasNoSunriseOrSunsetAndSaysWhy() {
    Place tromso = new Place(69.6492, 18.9553, 0, ZoneId.of("Europe/Oslo"));
    ZmanimDay day = CALC.compute(tromso, LocalDate.of(2026, 6, 21));
    assertThat(day.zmanim().get("sunrise").time()).isNull();
    assertThat(day.zmanim().get("sunrise").reason()).contains("polar day");
    assertThat(day.zmanim().get("sunset").time()).isNull();
    assertThat(day.zmanim().get("alos16Point1Degrees").time()).isNull();
  }

  @Test
  void polarNightHasNoSunriseAndSaysWhyButDegreeBasedTimesMayRemain() {
    Place tromso = new Place(69.6492, 18.9553, 0, ZoneId.of("Europe/Oslo"));
    ZmanimDay day = CALC.compute(tromso, LocalDate.of(2026, 12, 21));
    assertThat(day.zmanim().get("sunrise").time()).isNull();
    assertThat(day.zmanim().get("sunrise").reason()).contains("polar night");
    assertThat(day.zmanim().get("sofZmanShmaGRA").time()).isNull();
    // The sun still climbs above -8.5°, so tzais 8.5° exists even in the polar night.
    assertThat(time(day, "tzais8Point5Degrees").toLocalDate())
        .isEqualTo(LocalDate.of(2026, 12, 21));
  }

  @Test
  void whiteNightsHaveSunriseButNoSixteenPointOneDegreeDawn() {
    Place london = new Place(51.5074, -0.1278, 0, ZoneId.of("Europe/London"));
    ZmanimDay day = CALC.compute(london, LocalDate.of(2026, 6, 21));
    assertThat(day.zmanim().get("sunrise").time()).isNotNull();
    assertThat(day.zmanim().get("alos16Point1Degrees").time()).isNull();
    assertThat(day.zmanim().get("alos16Point1Degrees").reason()).contains("16.1°");
  }

  @Test
  void candleLightingOnAFridayIsEighteenMinutesBeforeSunset() {
    ZmanimDay friday = CALC.compute(JERUSALEM, LocalDate.of(2026, 11, 27));
    assertThat(friday.candleLighting().time()).isNotNull();
    assertThat(Duration.between(friday.candleLighting().time(), time(friday, "sunset")).toSeconds())
        .isBetween(18 * 60 - 1L, 18 * 60 + 1L);
  }

  @Test
  void noCandleLightingOnAnOrdinaryThursday() {
    ZmanimDay thursday = CALC.compute(JERUSALEM, LocalDate.of(2026, 11, 26));
    assertThat(thursday.candleLighting().time()).isNull();
    assertThat(thursday.candleLighting().reason()).contains("not a Friday");
  }

  @Test
  void candleLightingOnErevPesachOnAWednesday() {
    // 14 Nisan 5786 = Wednesday 1 April 2026.
    ZmanimDay erevPesach = CALC.compute(NEW_YORK, LocalDate.of(2026, 4, 1));
    assertThat(erevPesach.candleLighting().time()).isNotNull();
    assertThat(erevPesach.candleLighting().time()).isBefore(time(erevPesach, "sunset"));
  }

  @Test
  void candleLightingOnTheFirstDayOfYomTovIsAtNightfall() {
    // Outside Israel, 15 Nisan (Thursday 2 April 2026) is followed by a second day of yom tov.
    ZmanimDay firstDay = CALC.compute(NEW_YORK, LocalDate.of(2026, 4, 2));
    assertThat(firstDay.candleLighting().time()).isEqualTo(time(firstDay, "tzais8Point5Degrees"));
  }

  private static long minutes(LocalTime t) {
    return t.getHour() * 60L + t.getMinute();
  }
}
