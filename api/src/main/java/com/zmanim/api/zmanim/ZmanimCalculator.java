package com.zmanim.api.zmanim;

import com.kosherjava.zmanim.ComplexZmanimCalendar;
import com.kosherjava.zmanim.hebrewcalendar.JewishCalendar;
import com.kosherjava.zmanim.util.GeoLocation;
import com.kosherjava.zmanim.util.NOAACalculator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Calendar;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.Function;

/**
 * Maps a place and a date to the day's zmanim. All astronomy and halachic arithmetic is KosherJava's
 * ({@link ComplexZmanimCalendar}, {@link JewishCalendar}); this class only chooses the opinions,
 * converts to local ISO-8601 times and explains the times that do not occur. Stateless and
 * thread-safe: KosherJava objects are created per call (they are cheap and not thread-safe).
 */
public final class ZmanimCalculator {

  /** Minutes before sunset for candle lighting (KosherJava's default; local customs differ). */
  public static final double CANDLE_LIGHTING_MINUTES = 18;

  private enum Basis { SUN, DEPRESSION_16_1, DEPRESSION_11_5, DEPRESSION_8_5 }

  private record Definition(String name, Basis basis, Function<ComplexZmanimCalendar, Date> compute) { }

  private static final List<Definition> DEFINITIONS = List.of(
      new Definition("alos16Point1Degrees", Basis.DEPRESSION_16_1, ComplexZmanimCalendar::getAlos16Point1Degrees),
      new Definition("alos72Minutes", Basis.SUN, ComplexZmanimCalendar::getAlos72),
      new Definition("misheyakir11Point5Degrees", Basis.DEPRESSION_11_5, ComplexZmanimCalendar::getMisheyakir11Point5Degrees),
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
      new Definition("tzais8Point5Degrees", Basis.DEPRESSION_8_5, ComplexZmanimCalendar::getTzaisGeonim8Point5Degrees),
      new Definition("tzais72Minutes", Basis.SUN, ComplexZmanimCalendar::getTzais72));

  /** The names of the times, in the order responses list them. */
  public static final List<String> NAMES = DEFINITIONS.stream().map(Definition::name).toList();

  public ZmanimDay compute(Place place, LocalDate date) {
    TimeZone tz = TimeZone.getTimeZone(place.zone());
    GeoLocation location = new GeoLocation("place", place.latitude(), place.longitude(), place.elevationMetres(), tz);
    ComplexZmanimCalendar czc = new ComplexZmanimCalendar(location);
    czc.setUseElevation(true);
    czc.setCandleLightingOffset(CANDLE_LIGHTING_MINUTES);
    Calendar calendar = new GregorianCalendar(tz);
    calendar.clear();
    calendar.set(date.getYear(), date.getMonthValue() - 1, date.getDayOfMonth(), 12, 0, 0);
    czc.setCalendar(calendar);

    Sky sky = Sky.of(place, date);
    Map<String, Zman> zmanim = new LinkedHashMap<>();
    for (Definition d : DEFINITIONS) {
      Date t = d.compute().apply(czc);
      zmanim.put(d.name(), t == null ? Zman.absent(reason(d.basis(), sky)) : Zman.at(local(t, place.zone())));
    }
    return new ZmanimDay(place, date, zmanim, candleLighting(czc, place, date, zmanim, sky));
  }

  private static Zman candleLighting(ComplexZmanimCalendar czc, Place place, LocalDate date, Map<String, Zman> zmanim, Sky sky) {
    JewishCalendar jewish = new JewishCalendar(date);
    jewish.setInIsrael(inIsrael(place.zone()));
    if (!jewish.hasCandleLighting()) {
      return Zman.absent("no candle lighting: not a Friday or the eve of a yom tov");
    }
    if (jewish.isAssurBemelacha()) {
      // Today is itself Shabbos or yom tov (e.g. the first day of a two-day yom tov): light after nightfall.
      Zman tzais = zmanim.get("tzais8Point5Degrees");
      return tzais.time() != null ? tzais : Zman.absent("candle lighting is at nightfall (tzais 8.5°), which does not occur on this day: " + tzais.reason());
    }
    Date t = czc.getCandleLighting();
    return t == null ? Zman.absent(reason(Basis.SUN, sky)) : Zman.at(local(t, place.zone()));
  }

  private static boolean inIsrael(ZoneId zone) {
    return zone.getId().equals("Asia/Jerusalem") || zone.getId().equals("Asia/Tel_Aviv");
  }

  private static OffsetDateTime local(Date t, ZoneId zone) {
    // Round to the nearest second: the published precision.
    Instant rounded = t.toInstant().plusMillis(500).truncatedTo(ChronoUnit.SECONDS);
    return rounded.atZone(zone).toOffsetDateTime();
  }

  private static String reason(Basis basis, Sky sky) {
    if (sky == Sky.ALWAYS_UP) {
      return "the sun does not set on this day at this place (polar day)";
    }
    if (sky == Sky.ALWAYS_DOWN) {
      return "the sun does not rise on this day at this place (polar night)";
    }
    return switch (basis) {
      case DEPRESSION_16_1 -> "the sun does not go 16.1° below the horizon on this day at this place";
      case DEPRESSION_11_5 -> "the sun does not go 11.5° below the horizon on this day at this place";
      case DEPRESSION_8_5 -> "the sun does not go 8.5° below the horizon on this day at this place";
      case SUN -> "the sun does not both rise and set on this day at this place";
    };
  }

  /** Whether the sun rises and sets at all on the day (from its elevation at local noon and midnight). */
  private enum Sky {
    RISES_AND_SETS, ALWAYS_UP, ALWAYS_DOWN;

    static Sky of(Place place, LocalDate date) {
      // Local mean solar noon and the following midnight, in UTC (longitude / 15 hours from Greenwich).
      double offsetHours = place.longitude() / 15.0;
      Instant noon = date.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC).minusSeconds(Math.round(offsetHours * 3600));
      double atNoon = elevation(noon, place);
      double atMidnight = Math.min(elevation(noon.minusSeconds(12 * 3600), place), elevation(noon.plusSeconds(12 * 3600), place));
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
