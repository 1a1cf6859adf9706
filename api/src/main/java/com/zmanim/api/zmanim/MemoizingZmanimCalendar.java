package com.zmanim.api.zmanim;

import com.kosherjava.zmanim.ComplexZmanimCalendar;
import com.kosherjava.zmanim.util.AstronomicalCalculator;
import com.kosherjava.zmanim.util.GeoLocation;
import java.time.LocalDate;
import java.util.Calendar;
import java.util.Date;

/**
 * A {@link ComplexZmanimCalendar} that computes each solar event once. KosherJava derives every
 * zman from a few events (sunrise and sunset with and without elevation, the sun at 16.1°, 11.5°
 * and 8.5° below the horizon, the transit) and recomputes them for each zman that uses them: a
 * day's response asked the NOAA algorithm for the same sunrise and sunset dozens of times, which a
 * profile of the API under load showed as most of a zmanim request's time. Here the four UTC event
 * methods, the transit and the conversion of an event to a {@link Date} remember their answers, and
 * that conversion is done without a Calendar per call; the results are KosherJava's own to the
 * millisecond (the tests compare them).
 *
 * <p>The answers are valid for the location, date and settings they were computed with: every
 * setter forgets them, a clone starts with none, and a calendar moved through {@link
 * #getCalendar()} (which the setters cannot see) is noticed by its time. A {@link GeoLocation}
 * changed in place is not noticed: {@link ZmanimCalculator} makes a new calendar and location per
 * date and never changes them.
 */
final class MemoizingZmanimCalendar extends ComplexZmanimCalendar {
  private enum Event {
    SUNRISE,
    SEA_LEVEL_SUNRISE,
    SUNSET,
    SEA_LEVEL_SUNSET
  }

  /**
   * A day asks for under ten distinct events and dates: the memo is a short list searched from the
   * start, not a hash map (whose keys, boxing and hashing of doubles a profile showed as a tenth of
   * the calculator's own time once the events were memoized).
   */
  private static final class Memo {
    private final double[] keys = new double[16];
    private final int[] kinds = new int[16];
    private final double[] values = new double[16];
    private int size;

    /** Where the value for ({@code kind}, {@code key}) is, or -1 when not remembered. */
    int indexOf(int kind, double key) {
      for (int i = 0; i < size; i++) {
        if (kinds[i] == kind && Double.compare(keys[i], key) == 0) {
          return i;
        }
      }
      return -1;
    }

    double value(int index) {
      return values[index];
    }

    /** Remembers a value (NaN too: an event that does not occur); a full memo stops remembering. */
    void put(int kind, double key, double value) {
      if (size < keys.length) {
        kinds[size] = kind;
        keys[size] = key;
        values[size] = value;
        size++;
      }
    }
  }

  /** A memo kind per event ({@link Event#ordinal()}), then one per kind of date conversion. */
  private static final int SUNRISE_DATE = Event.values().length;

  private static final int SUNSET_DATE = SUNRISE_DATE + 1;

  // Created on first use: the superclass constructor calls the setters before these fields exist.
  private Memo events;
  private Memo dates;
  private Date transit;
  private boolean transitKnown;
  private long memoizedFor = Long.MIN_VALUE;

  MemoizingZmanimCalendar(GeoLocation location) {
    super(location);
  }

  @Override
  public double getUTCSunrise(double zenith) {
    return event(Event.SUNRISE, zenith);
  }

  @Override
  public double getUTCSeaLevelSunrise(double zenith) {
    return event(Event.SEA_LEVEL_SUNRISE, zenith);
  }

  @Override
  public double getUTCSunset(double zenith) {
    return event(Event.SUNSET, zenith);
  }

  @Override
  public double getUTCSeaLevelSunset(double zenith) {
    return event(Event.SEA_LEVEL_SUNSET, zenith);
  }

  @Override
  public Date getSunTransit() {
    memo();
    if (!transitKnown) {
      transit = super.getSunTransit();
      transitKnown = true;
    }
    return transit == null ? null : new Date(transit.getTime());
  }

  @Override
  protected Date getDateFromTime(double time, boolean isSunrise) {
    if (Double.isNaN(time)) {
      return null;
    }
    int kind = isSunrise ? SUNRISE_DATE : SUNSET_DATE;
    int known = memo().dates.indexOf(kind, time);
    long millis;
    if (known >= 0) {
      millis = (long) dates.value(known); // exact: epoch millis are far below 2^53
    } else {
      millis = dateFromTime(time, isSunrise);
      dates.put(kind, time, millis);
    }
    return new Date(millis); // Date is mutable: each caller gets its own
  }

  /**
   * What {@code AstronomicalCalendar.getDateFromTime} computes, in epoch arithmetic: KosherJava
   * builds a new UTC {@code Calendar} through the locale providers for each event, which the
   * profile showed as a quarter of the remaining time. The calendar's (antimeridian-adjusted) date,
   * moved a day back for a "sunrise" that late or forward for a "sunset" that early in local terms,
   * at the UTC time of day given in hours. The dates served (1900-2199, ±1 day) are all after the
   * Gregorian cutover, where that Calendar's arithmetic is the proleptic calendar's; the tests
   * compare every time with KosherJava's own.
   */
  private long dateFromTime(double time, boolean isSunrise) {
    Calendar adjusted = getCalendar();
    int antimeridian = getGeoLocation().getAntimeridianAdjustment();
    if (antimeridian != 0) {
      adjusted =
          (Calendar)
              adjusted.clone(); // as KosherJava adjusts it, wall-clock day arithmetic included
      adjusted.add(Calendar.DAY_OF_MONTH, antimeridian);
    }
    double calculatedTime = time;
    int hours = (int) calculatedTime;
    calculatedTime -= hours;
    int minutes = (int) (calculatedTime *= 60);
    calculatedTime -= minutes;
    int seconds = (int) (calculatedTime *= 60);
    calculatedTime -= seconds;
    int localTimeHours = (int) getGeoLocation().getLongitude() / 15;
    long day =
        LocalDate.of(
                adjusted.get(Calendar.YEAR),
                adjusted.get(Calendar.MONTH) + 1,
                adjusted.get(Calendar.DAY_OF_MONTH))
            .toEpochDay();
    if (isSunrise && localTimeHours + hours > 18) {
      day -= 1;
    } else if (!isSunrise && localTimeHours + hours < 6) {
      day += 1;
    }
    return ((day * 24 + hours) * 60 + minutes) * 60_000L
        + seconds * 1_000L
        + (int) (calculatedTime * 1000);
  }

  private double event(Event event, double zenith) {
    // At sea level the elevation-adjusted event is the sea-level one: the NOAA calculator's only
    // use of the adjustment flag is to take the elevation or 0, so both compute the same thing.
    if (getGeoLocation().getElevation() == 0) {
      event =
          event == Event.SEA_LEVEL_SUNRISE
              ? Event.SUNRISE
              : event == Event.SEA_LEVEL_SUNSET ? Event.SUNSET : event;
    }
    int known = memo().events.indexOf(event.ordinal(), zenith);
    if (known >= 0) {
      return events.value(known);
    }
    double value =
        switch (event) {
          case SUNRISE -> super.getUTCSunrise(zenith);
          case SEA_LEVEL_SUNRISE -> super.getUTCSeaLevelSunrise(zenith);
          case SUNSET -> super.getUTCSunset(zenith);
          case SEA_LEVEL_SUNSET -> super.getUTCSeaLevelSunset(zenith);
        };
    events.put(event.ordinal(), zenith, value);
    return value;
  }

  /**
   * The memo, emptied first when the calendar's time is not the one its answers were computed for.
   */
  private MemoizingZmanimCalendar memo() {
    long now = getCalendar().getTimeInMillis();
    if (events == null || now != memoizedFor) {
      forget();
      events = new Memo();
      dates = new Memo();
      memoizedFor = now;
    }
    return this;
  }

  /**
   * Drops the answers; the next question makes a new memo (the constructor's setters call this
   * several times, and a profile showed making memos there).
   */
  private void forget() {
    events = null;
    dates = null;
    transit = null;
    transitKnown = false;
    memoizedFor = Long.MIN_VALUE;
  }

  @Override
  public void setCalendar(Calendar calendar) {
    super.setCalendar(calendar);
    forget();
  }

  @Override
  public void setGeoLocation(GeoLocation geoLocation) {
    super.setGeoLocation(geoLocation);
    forget();
  }

  @Override
  public void setAstronomicalCalculator(AstronomicalCalculator astronomicalCalculator) {
    super.setAstronomicalCalculator(astronomicalCalculator);
    forget();
  }

  @Override
  public void setUseElevation(boolean useElevation) {
    super.setUseElevation(useElevation);
    forget();
  }

  @Override
  public Object clone() {
    MemoizingZmanimCalendar clone = (MemoizingZmanimCalendar) super.clone();
    clone.forget(); // super.clone() copied the references: the clone must not share (or fill) ours
    return clone;
  }
}
