package com.zmanim.api.zmanim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.api.localities.Locality;
import com.zmanim.api.localities.LocalityJson;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The zmanim response body, written byte by byte in the shape Jackson gave it when the API built it
 * as nested maps (the tests compare the bytes for any place and day). Profiles of the route under
 * load had a sixth of its time in those maps and their serializers, and then, with Jackson's
 * streaming generator, still half of the route's own time in the body: the generator's set-up and
 * checks per value, and an {@code OffsetDateTime} and a String per time. Here the fixed shape is
 * written into one array and each time straight from its epoch second and offset. Strings that
 * would need escaping and the locality object are left to Jackson.
 */
final class ZmanimJson {
  /** The published form of a time: local date-time to the second and the zone's offset then. */
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  // The body's fixed parts, encoded once.
  private static final byte[] DATE = encoded("{\"date\":");
  private static final byte[] TIME_ZONE = encoded(",\"timeZone\":");
  private static final byte[] LATITUDE = encoded(",\"location\":{\"latitude\":");
  private static final byte[] LONGITUDE = encoded(",\"longitude\":");
  private static final byte[] ELEVATION = encoded(",\"elevation\":");
  private static final byte[] ZMANIM = encoded("},\"zmanim\":{");
  private static final byte[] UNAVAILABLE = encoded("},\"unavailable\":{");
  private static final byte[] END =
      encoded(
          "},\"candleLightingMinutesBeforeSunset\":"
              + Double.toString(ZmanimCalculator.CANDLE_LIGHTING_MINUTES)
              + "}");

  /** {@code "name":} of every time, the first one's without the comma before it. */
  private static final Map<String, byte[]> FIELDS = new HashMap<>();

  static {
    List<String> names = new ArrayList<>(ZmanimCalculator.NAMES);
    names.add("candleLighting");
    for (String name : names) {
      FIELDS.put(name, encoded(",\"" + name + "\":"));
    }
  }

  private ZmanimJson() {}

  private static byte[] encoded(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] write(ObjectMapper json, ZmanimDay day, Locality locality) {
    Out out = new Out();
    out.bytes(DATE);
    out.string(json, day.date().toString());
    out.bytes(TIME_ZONE);
    out.string(json, day.place().zone().getId());
    out.bytes(LATITUDE);
    out.ascii(Double.toString(day.place().latitude()));
    out.bytes(LONGITUDE);
    out.ascii(Double.toString(day.place().longitude()));
    out.bytes(ELEVATION);
    out.ascii(Double.toString(day.place().elevationMetres()));
    if (locality != null) {
      out.ascii(",\"locality\":");
      out.bytes(jackson(json, LocalityJson.of(locality)));
    }
    out.bytes(ZMANIM);
    boolean first = true;
    for (Map.Entry<String, Zman> e : day.zmanim().entrySet()) {
      first = out.time(e.getKey(), e.getValue(), first);
    }
    out.time("candleLighting", day.candleLighting(), first);
    out.bytes(UNAVAILABLE);
    first = true;
    for (Map.Entry<String, Zman> e : day.zmanim().entrySet()) {
      first = out.reason(json, e.getKey(), e.getValue(), first);
    }
    out.reason(json, "candleLighting", day.candleLighting(), first);
    out.bytes(END);
    return out.toByteArray();
  }

  /** {@link #TIME}'s output for the instant {@code epochSecond} at {@code offset}. */
  static String format(long epochSecond, ZoneOffset offset) {
    Out out = new Out();
    out.time(epochSecond, offset);
    return new String(out.toByteArray(), StandardCharsets.US_ASCII);
  }

  /** {@code s} as a JSON string, as {@link Out} writes it (for tests against Jackson's). */
  static byte[] string(ObjectMapper json, String s) {
    Out out = new Out();
    out.string(json, s);
    return out.toByteArray();
  }

  private static byte[] jackson(ObjectMapper json, Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serializing a " + value.getClass().getSimpleName(), e);
    }
  }

  /** A growing byte array with the few kinds of JSON values this body has. */
  private static final class Out {
    private byte[] buf = new byte[2048]; // a day's body is ~1.1-1.7 KB
    private int len;
    private long day = Long.MIN_VALUE; // the epoch day whose date is in year/month/dayOfMonth
    private int year;
    private int month;
    private int dayOfMonth;

    private void room(int n) {
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    /** Text known to be ASCII with nothing to escape (the body's own punctuation and names). */
    void ascii(String s) {
      int n = s.length();
      room(n);
      for (int i = 0; i < n; i++) {
        buf[len++] = (byte) s.charAt(i);
      }
    }

    void bytes(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }

    /**
     * A JSON string as Jackson writes it: as UTF-8 when no character needs escaping (no quote,
     * backslash, control character or surrogate), else through Jackson itself.
     */
    void string(ObjectMapper json, String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
          bytes(jackson(json, s));
          return;
        }
      }
      room(1);
      buf[len++] = '"';
      bytes(s.getBytes(StandardCharsets.UTF_8));
      room(1);
      buf[len++] = '"';
    }

    /** {@code "name":"time"} or {@code "name":null}; returns false (no longer the first). */
    boolean time(String name, Zman zman, boolean first) {
      field(name, first);
      if (zman.offset() == null) {
        ascii("null");
      } else {
        room(1);
        buf[len++] = '"';
        time(zman.epochSecond(), zman.offset());
        room(1);
        buf[len++] = '"';
      }
      return false;
    }

    /** {@code "name":"reason"} when the time is absent; returns whether still nothing written. */
    boolean reason(ObjectMapper json, String name, Zman zman, boolean first) {
      if (zman.reason() == null) {
        return first;
      }
      field(name, first);
      string(json, zman.reason());
      return false;
    }

    private void field(String name, boolean first) {
      byte[] field = FIELDS.get(name);
      if (field == null) {
        field = encoded(",\"" + name + "\":"); // not one of the calculator's names (tests)
      }
      room(field.length);
      System.arraycopy(field, first ? 1 : 0, buf, len, field.length - (first ? 1 : 0));
      len += field.length - (first ? 1 : 0);
    }

    /**
     * {@link #TIME}'s output, written by hand for four-digit years and whole-minute offsets (every
     * zone today; some zones had offsets with seconds before the 1970s, left to the formatter).
     */
    void time(long epochSecond, ZoneOffset offset) {
      int offsetSeconds = offset.getTotalSeconds();
      long local = epochSecond + offsetSeconds;
      long epochDay = Math.floorDiv(local, 86_400);
      if (epochDay != day) {
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        day = epochDay;
        year = date.getYear();
        month = date.getMonthValue();
        dayOfMonth = date.getDayOfMonth();
      }
      if (offsetSeconds % 60 != 0 || year < 1000 || year > 9999) {
        ascii(TIME.format(Zman.at(epochSecond, offset).time()));
        return;
      }
      int secondOfDay = (int) Math.floorMod(local, 86_400);
      room(25);
      digits(year / 100);
      digits(year % 100);
      buf[len++] = '-';
      digits(month);
      buf[len++] = '-';
      digits(dayOfMonth);
      buf[len++] = 'T';
      digits(secondOfDay / 3600);
      buf[len++] = ':';
      digits(secondOfDay / 60 % 60);
      buf[len++] = ':';
      digits(secondOfDay % 60);
      buf[len++] = (byte) (offsetSeconds < 0 ? '-' : '+');
      int minutes = Math.abs(offsetSeconds) / 60;
      digits(minutes / 60);
      buf[len++] = ':';
      digits(minutes % 60);
    }

    /** Two decimal digits of {@code value} (0-99). */
    private void digits(int value) {
      buf[len++] = (byte) ('0' + value / 10);
      buf[len++] = (byte) ('0' + value % 10);
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, len);
    }
  }
}
