package com.zmanim.api.zmanim;

import com.kosherjava.zmanim.ComplexZmanimCalendar;
import com.kosherjava.zmanim.hebrewcalendar.JewishCalendar;
import com.kosherjava.zmanim.util.GeoLocation;
import com.kosherjava.zmanim.util.NOAACalculator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Calendar;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Maps a place and a date to the day's zmanim. All astronomy and halachic arithmetic is
 * KosherJava's ({@link ComplexZmanimCalendar}, {@link JewishCalendar}); this class only chooses the
 * opinions, converts to local ISO-8601 times and explains the times that do not occur. Stateless
 * and thread-safe: KosherJava objects are created per call (they are cheap and not thread-safe).
 */
public final class ZmanimCalculator {

  /** Minutes before sunset for candle lighting (KosherJava's default; local customs differ). */
  public static final double CANDLE_LIGHTING_MINUTES = 18;

  private enum Basis {
    SUN,
    DEPRESSION_16_1,
    DEPRESSION_11_5,
    DEPRESSION_8_5
  }

  /** Where a time lies relative to the day's solar transit (chatzos). */
  private enum Part {
    MORNING,
    NOON,
    AFTERNOON
  }

  private record Definition(
      String name, Part part, Basis basis, Function<ComplexZmanimCalendar, Date> compute) {
    Definition(String name, Basis basis, Function<ComplexZmanimCalendar, Date> compute) {
      this(
          name,
          NAMES_BEFORE_NOON.contains(name)
              ? Part.MORNING
              : name.equals("chatzos") ? Part.NOON : Part.AFTERNOON,
          basis,
          compute);
    }
  }

  private static final java.util.Set<String> NAMES_BEFORE_NOON =
      java.util.Set.of(
          "alos16Point1Degrees",
          "alos72Minutes",
          "misheyakir11Point5Degrees",
          "sunrise",
          "sofZmanShmaMGA",
          "sofZmanShmaGRA",
          "sofZmanTfilaMGA",
          "sofZmanTfilaGRA");

  /**
   * No time of a day lies further than this from its transit (72 min past a sunset ~12 h after it).
   */
  private static final long WINDOW_SECONDS = 14 * 3600;

  private static final List<Definition> DEFINITIONS =
      List.of(
          new Definition(
              "alos16Point1Degrees",
              Basis.DEPRESSION_16_1,
              ComplexZmanimCalendar::getAlos16Point1Degrees),
          new Definition("alos72Minutes", Basis.SUN, ComplexZmanimCalendar::getAlos72),
          new Definition(
              "misheyakir11Point5Degrees",
              Basis.DEPRESSION_11_5,
              ComplexZmanimCalendar::getMisheyakir11Point5Degrees),
          new Definition("sunrise", Basis.SUN, ComplexZmanimCalendar::getSunrise),
          new Definition("sofZmanShmaMGA", Basis.SUN, ComplexZmanimCalendar::getSofZmanShmaMGA),
          new Definition("sofZmanShmaGRA", Basis.SUN, ComplexZmanimCalendar::getSofZmanShmaGRA),
          new Definition("sofZmanTfilaMGA", Basis.SUN, ComplexZmanimCalendar::getSofZmanTfilaMGA),
          new Definition("sofZmanTfilaGRA", Basis.SUN, ComplexZmanimCalendar::getSofZmanTfilaGRA),
          new Definition("chatzos", Basis.SUN, ComplexZmanimCalendar::getChatzos),
          new Definition("minchaGedola", Basis.SUN, ComplexZmanimCalendar::getMinchaGedola),
          new Definition("minchaKetana", Basis.SUN, ComplexZmanimCalendar::getMinchaKetana),
          new Definition("plagHamincha", Basis.SUN, ComplexZmanimCalendar::getPlagHamincha),
          new Definition("sunset", Basis.SUN, ComplexZmanimCalendar::getSunset),
          new Definition(
              "tzais8Point5Degrees",
              Basis.DEPRESSION_8_5,
              ComplexZmanimCalendar::getTzaisGeonim8Point5Degrees),
          new Definition("tzais72Minutes", Basis.SUN, ComplexZmanimCalendar::getTzais72));

  /** The names of the times, in the order responses list them. */
  public static final List<String> NAMES = DEFINITIONS.stream().map(Definition::name).toList();

  public ZmanimDay compute(Place place, LocalDate date) {
    Day day = new Day(place, date);
    // Only an absent time needs to know why: most days have none, so the sky is looked at lazily.
    Supplier<Sky> sky = lazily(() -> Sky.of(place, date));
    Map<String, Zman> zmanim = new LinkedHashMap<>();
    for (Definition d : DEFINITIONS) {
      Date t = day.pick(d.part(), d.compute());
      zmanim.put(d.name(), t == null ? Zman.absent(reason(d.basis(), sky)) : day.local.zman(t));
    }
    return new ZmanimDay(place, date, zmanim, candleLighting(day, place, date, zmanim, sky));
  }

  /**
   * KosherJava computes each time for a calendar date in UTC terms, and near the antimeridian its
   * answer for date D can belong to D-1 or D+1, differently for different times (e.g. Anadyr or
   * Funafuti, ~178° E on UTC+12, from October to February: chatzos of D+1 but sunrise of D). Its
   * own antimeridian adjustment only covers zones 20 h or more from local mean time. So a day is
   * anchored on its solar transit T (the one on the requested local date), and each time is taken
   * from whichever of the calendars for D, D-1, D+1 yields it on the right side of T within 14 h.
   * Consecutive days' times are ~24 h apart, so at most one candidate qualifies. Normally the first
   * calendar (D) answers everything, at no extra cost.
   */
  private static final class Day {
    private final Place place;
    private final LocalDate date;
    private final ComplexZmanimCalendar[] calendars = new ComplexZmanimCalendar[3];
    private final Date transit;
    private final LocalTimes local;

    Day(Place place, LocalDate date) {
      this.place = place;
      this.date = date;
      this.local = new LocalTimes(place.zone());
      Date found = null;
      for (int i = 0; i < 3 && found == null; i++) {
        Date t = calendar(i).getSunTransit();
        if (t != null && local.epochDay(t) == date.toEpochDay()) {
          found = t;
        }
      }
      this.transit = found;
    }

    /** Calendars in the order D, D-1, D+1, made when first needed. */
    private ComplexZmanimCalendar calendar(int i) {
      if (calendars[i] == null) {
        calendars[i] =
            ZmanimCalculator.calendar(place, date.plusDays(i == 0 ? 0 : i == 1 ? -1 : 1));
      }
      return calendars[i];
    }

    Date pick(Part part, Function<ComplexZmanimCalendar, Date> compute) {
      if (transit == null) {
        return compute.apply(calendar(0)); // no transit found (never seen): KosherJava as is
      }
      for (int i = 0; i < 3; i++) {
        Date t = compute.apply(calendar(i));
        if (t != null && fits(part, t)) {
          return t;
        }
      }
      return null;
    }

    private boolean fits(Part part, Date t) {
      // Whole seconds from the transit, rounded down (as Duration.between(...).getSeconds()).
      long seconds = Math.floorDiv(t.getTime() - transit.getTime(), 1000);
      return switch (part) {
        case MORNING -> seconds <= 0 && seconds > -WINDOW_SECONDS;
        case NOON -> Math.abs(seconds) < 3600;
        case AFTERNOON -> seconds >= 0 && seconds < WINDOW_SECONDS;
      };
    }
  }

  private static ComplexZmanimCalendar calendar(Place place, LocalDate date) {
    TimeZone tz = TimeZone.getTimeZone(place.zone());
    GeoLocation location =
        new GeoLocation("place", place.latitude(), place.longitude(), place.elevationMetres(), tz);
    ComplexZmanimCalendar czc = new MemoizingZmanimCalendar(location);
    czc.setUseElevation(true);
    czc.setCandleLightingOffset(CANDLE_LIGHTING_MINUTES);
    Calendar calendar = new GregorianCalendar(tz);
    calendar.clear();
    calendar.set(date.getYear(), date.getMonthValue() - 1, date.getDayOfMonth(), 12, 0, 0);
    czc.setCalendar(calendar);
    return czc;
  }

  /** What a date is for candle lighting (KosherJava's {@link JewishCalendar} decides). */
  enum Candles {
    NONE,
    BEFORE_SUNSET,
    AT_NIGHTFALL;

    static Candles of(LocalDate date, boolean inIsrael) {
      JewishCalendar jewish = new JewishCalendar(date);
      jewish.setInIsrael(inIsrael);
      if (!jewish.hasCandleLighting()) {
        return NONE;
      }
      // Today is itself Shabbos or yom tov (e.g. the first day of a two-day yom tov): light after
      // nightfall.
      return jewish.isAssurBemelacha() ? AT_NIGHTFALL : BEFORE_SUNSET;
    }
  }

  /**
   * {@link Candles#of} remembered per date and Israel/diaspora from {@link #CANDLES_FROM} for
   * {@link #CANDLES_DAYS} days (what the API serves, 220 KB): converting each request's date to the
   * Hebrew calendar was a twentieth of the route's own time in a profile. An entry is written whole
   * by whichever thread computes it first; another thread sees either nothing yet (and computes the
   * same value) or that value.
   */
  private final byte[] candles = new byte[2 * CANDLES_DAYS];

  private static final Candles[] CANDLES = Candles.values();
  private static final LocalDate CANDLES_FROM = LocalDate.of(1899, 12, 31);
  private static final int CANDLES_DAYS =
      (int) (LocalDate.of(2200, 1, 1).toEpochDay() - CANDLES_FROM.toEpochDay() + 1);

  Candles candles(LocalDate date, boolean inIsrael) {
    long index = 2 * (date.toEpochDay() - CANDLES_FROM.toEpochDay()) + (inIsrael ? 1 : 0);
    if (index < 0 || index >= candles.length) {
      return Candles.of(date, inIsrael);
    }
    int known = candles[(int) index];
    if (known == 0) {
      Candles c = Candles.of(date, inIsrael);
      candles[(int) index] = (byte) (c.ordinal() + 1);
      return c;
    }
    return CANDLES[known - 1];
  }

  private Zman candleLighting(
      Day day, Place place, LocalDate date, Map<String, Zman> zmanim, Supplier<Sky> sky) {
    Candles kind = candles(date, inIsrael(place.zone()));
    if (kind == Candles.NONE) {
      return Zman.absent("no candle lighting: not a Friday or the eve of a yom tov");
    }
    if (kind == Candles.AT_NIGHTFALL) {
      Zman tzais = zmanim.get("tzais8Point5Degrees");
      return tzais.reason() == null
          ? tzais
          : Zman.absent(
              "candle lighting is at nightfall (tzais 8.5°), which does not occur on this day: "
                  + tzais.reason());
    }
    Date t = day.pick(Part.AFTERNOON, ComplexZmanimCalendar::getCandleLighting);
    return t == null ? Zman.absent(reason(Basis.SUN, sky)) : day.local.zman(t);
  }

  private static boolean inIsrael(ZoneId zone) {
    return zone.getId().equals("Asia/Jerusalem") || zone.getId().equals("Asia/Tel_Aviv");
  }

  /**
   * The local times of a day's instants in one zone, rounded to the second (the published
   * precision), exactly as {@code instant.atZone(zone).toOffsetDateTime()}. A zone's offset is
   * constant between two of its transitions, so it is looked up once and reused for the instants
   * between the same two transitions: looking it up for each of a day's 17 times was a quarter of
   * the calculator's time in a profile.
   */
  static final class LocalTimes {
    private final ZoneRules rules;
    private ZoneOffset offset;
    private long from = 1;
    private long until; // [from, until) in epoch seconds: empty until the first lookup

    LocalTimes(ZoneId zone) {
      this.rules = zone.getRules();
    }

    /** The time of {@code t}, rounded to the second, with the zone's offset then. */
    Zman zman(Date t) {
      long second = roundedSecond(t);
      return Zman.at(second, offsetAt(second));
    }

    /** The local date of {@code t} (rounded to the second) as an epoch day. */
    long epochDay(Date t) {
      long second = roundedSecond(t);
      return Math.floorDiv(second + offsetAt(second).getTotalSeconds(), 86_400);
    }

    OffsetDateTime at(Date t) {
      return zman(t).time();
    }

    /** As {@code t.toInstant().plusMillis(500).truncatedTo(SECONDS)}, without the Instants. */
    private static long roundedSecond(Date t) {
      return Math.floorDiv(t.getTime() + 500, 1000);
    }

    private ZoneOffset offsetAt(long second) {
      if (second < from || second >= until) {
        Instant rounded = Instant.ofEpochSecond(second);
        offset = rules.getOffset(rounded);
        ZoneOffsetTransition previous = rules.previousTransition(rounded);
        ZoneOffsetTransition next = rules.nextTransition(rounded);
        // At a transition's very instant the neighbours do not bound this offset: no reuse then.
        boolean bounded =
            (previous == null || previous.getOffsetAfter().equals(offset))
                && (next == null || next.getOffsetBefore().equals(offset));
        from =
            bounded && previous != null ? previous.toEpochSecond() : bounded ? Long.MIN_VALUE : 1;
        until = bounded && next != null ? next.toEpochSecond() : bounded ? Long.MAX_VALUE : 0;
      }
      return offset;
    }
  }

  private static <T> Supplier<T> lazily(Supplier<T> compute) {
    return new Supplier<>() {
      private T value;

      @Override
      public T get() {
        if (value == null) {
          value = compute.get();
        }
        return value;
      }
    };
  }

  private static String reason(Basis basis, Supplier<Sky> lazySky) {
    Sky sky = lazySky.get();
    if (sky == Sky.ALWAYS_UP) {
      return "the sun does not set on this day at this place (polar day)";
    }
    if (sky == Sky.ALWAYS_DOWN) {
      return "the sun does not rise on this day at this place (polar night)";
    }
    return switch (basis) {
      case DEPRESSION_16_1 ->
          "the sun does not go 16.1° below the horizon on this day at this place";
      case DEPRESSION_11_5 ->
          "the sun does not go 11.5° below the horizon on this day at this place";
      case DEPRESSION_8_5 -> "the sun does not go 8.5° below the horizon on this day at this place";
      case SUN -> "the sun does not both rise and set on this day at this place";
    };
  }

  /**
   * Whether the sun rises and sets at all on the day (from its elevation at local noon and
   * midnight).
   */
  private enum Sky {
    RISES_AND_SETS,
    ALWAYS_UP,
    ALWAYS_DOWN;

    static Sky of(Place place, LocalDate date) {
      // Local mean solar noon and the following midnight, in UTC (longitude / 15 hours from
      // Greenwich).
      double offsetHours = place.longitude() / 15.0;
      Instant noon =
          date.atTime(12, 0)
              .toInstant(java.time.ZoneOffset.UTC)
              .minusSeconds(Math.round(offsetHours * 3600));
      double atNoon = elevation(noon, place);
      double atMidnight =
          Math.min(
              elevation(noon.minusSeconds(12 * 3600), place),
              elevation(noon.plusSeconds(12 * 3600), place));
      // -0.833°: refraction and the sun's semi-diameter, as in KosherJava's sunrise.
      if (atMidnight > -0.833) {
        return ALWAYS_UP;
      }
      if (atNoon < -0.833) {
        return ALWAYS_DOWN;
      }
      return RISES_AND_SETS;
    }

    private static double elevation(Instant instant, Place place) {
      Calendar c = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
      c.setTimeInMillis(instant.toEpochMilli());
      return NOAACalculator.getSolarElevation(c, place.latitude(), place.longitude());
    }
  }
}
