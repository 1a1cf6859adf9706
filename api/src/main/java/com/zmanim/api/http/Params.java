package com.zmanim.api.http;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and checks query parameters. Every failure is an {@link ApiException} (400) naming the
 * parameter and the accepted range; nothing here can throw anything else for any input string.
 * Works on a plain map (first value of each parameter) so that it is tested without HTTP.
 */
public final class Params {
  /** Longest parameter value looked at; longer ones are refused before any parsing. */
  public static final int MAX_VALUE_LENGTH = 100;

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d{1,4}(\\.\\d{0,12})?|\\.\\d{1,12})");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,12}");
  private static final DateTimeFormatter ISO_DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
  private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

  private final Map<String, String> values;

  public Params(Map<String, String> values) {
    this.values = values;
  }

  public boolean has(String name) {
    String v = values.get(name);
    return v != null && !v.isBlank();
  }

  /** The raw value, stripped; absent when missing or blank. Refuses over-long values. */
  public Optional<String> raw(String name, String accepted) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    if (v.length() > MAX_VALUE_LENGTH) {
      throw ApiException.badParameter(
          name, name + " is too long (at most " + MAX_VALUE_LENGTH + " characters)", accepted);
    }
    return Optional.of(v.strip());
  }

  public String requiredRaw(String name, String accepted) {
    return raw(name, accepted)
        .orElseThrow(() -> ApiException.badParameter(name, name + " is required", accepted));
  }

  public double requiredDecimal(String name, double min, double max) {
    return decimal(name, min, max)
        .orElseThrow(() -> ApiException.badParameter(name, name + " is required", range(min, max)));
  }

  public Optional<Double> decimal(String name, double min, double max) {
    String accepted = range(min, max);
    return raw(name, accepted)
        .map(
            v -> {
              if (!DECIMAL.matcher(v).matches()) {
                throw ApiException.badParameter(name, name + " must be a decimal number", accepted);
              }
              double d = Double.parseDouble(v);
              if (d < min || d > max) {
                throw ApiException.badParameter(name, name + " is out of range", accepted);
              }
              return d == 0.0 ? 0.0 : d; // no negative zero in responses
            });
  }

  public long requiredInteger(String name, long min, long max) {
    return integer(name, min, max)
        .orElseThrow(() -> ApiException.badParameter(name, name + " is required", range(min, max)));
  }

  public Optional<Long> integer(String name, long min, long max) {
    String accepted = "an integer from " + min + " to " + max;
    return raw(name, accepted)
        .map(
            v -> {
              if (!INTEGER.matcher(v).matches()) {
                throw ApiException.badParameter(name, name + " must be an integer", accepted);
              }
              long n = Long.parseLong(v);
              if (n < min || n > max) {
                throw ApiException.badParameter(name, name + " is out of range", accepted);
              }
              return n;
            });
  }

  public int limit(int defaultLimit, int max) {
    return integer("limit", 1, max).map(Long::intValue).orElse(defaultLimit);
  }

  public LocalDate requiredDate(String name, LocalDate min, LocalDate max) {
    String accepted = "a date YYYY-MM-DD from " + min + " to " + max;
    String v = requiredRaw(name, accepted);
    LocalDate date;
    try {
      date = isoDate(v);
    } catch (DateTimeException e) {
      throw ApiException.badParameter(name, name + " is not a valid date", accepted);
    }
    if (date.isBefore(min) || date.isAfter(max)) {
      throw ApiException.badParameter(name, name + " is out of range", accepted);
    }
    return date;
  }

  /**
   * {@link #ISO_DATE}'s strict parse. The usual form (four-digit year, ASCII digits) is read by
   * hand: the formatter showed in a profile of the zmanim route (a few per cent of its own time);
   * anything else still goes to the formatter, and an impossible date (February 30) fails in {@code
   * LocalDate.of} as it fails in the formatter's strict resolver.
   */
  static LocalDate isoDate(String v) {
    if (v.length() == 10
        && v.charAt(4) == '-'
        && v.charAt(7) == '-'
        && digits(v, 0, 4)
        && digits(v, 5, 7)
        && digits(v, 8, 10)) {
      return LocalDate.of(
          Integer.parseInt(v, 0, 4, 10),
          Integer.parseInt(v, 5, 7, 10),
          Integer.parseInt(v, 8, 10, 10));
    }
    return LocalDate.parse(v, ISO_DATE);
  }

  private static boolean digits(String v, int from, int to) {
    for (int i = from; i < to; i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** An IANA region time zone such as Europe/London (no bare offsets: they have no DST rules). */
  public ZoneId requiredZone(String name) {
    String accepted = "an IANA time zone name such as Asia/Jerusalem or America/New_York";
    String v = requiredRaw(name, accepted);
    if (!ZONES.contains(v)) {
      throw ApiException.badParameter(name, name + " is not a known time zone", accepted);
    }
    return ZoneId.of(v);
  }

  private static String range(double min, double max) {
    return "a decimal number from " + fmt(min) + " to " + fmt(max);
  }

  private static String range(long min, long max) {
    return "an integer from " + min + " to " + max;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
