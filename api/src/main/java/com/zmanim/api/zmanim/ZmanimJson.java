package com.zmanim.api.zmanim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.api.localities.Locality;
import com.zmanim.api.localities.LocalityJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The zmanim response body, written field by field with Jackson's streaming generator straight to
 * UTF-8. A profile of the route under load had a sixth of its time in building the body as nested
 * maps, serializing them through Jackson's map serializers into a String, and formatting the times
 * with a {@link DateTimeFormatter}; the bytes written here are the same (tests compare them).
 */
final class ZmanimJson {
  /** The published form of a time: local date-time to the second and the zone's offset then. */
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  private ZmanimJson() {}

  static byte[] write(ObjectMapper json, ZmanimDay day, Locality locality) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1536);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("date", day.date().toString());
      g.writeStringField("timeZone", day.place().zone().getId());
      g.writeObjectFieldStart("location");
      g.writeNumberField("latitude", day.place().latitude());
      g.writeNumberField("longitude", day.place().longitude());
      g.writeNumberField("elevation", day.place().elevationMetres());
      if (locality != null) {
        g.writeFieldName("locality");
        g.writeObject(LocalityJson.of(locality));
      }
      g.writeEndObject();
      g.writeObjectFieldStart("zmanim");
      for (Map.Entry<String, Zman> e : day.zmanim().entrySet()) {
        writeTime(g, e.getKey(), e.getValue());
      }
      writeTime(g, "candleLighting", day.candleLighting());
      g.writeEndObject();
      g.writeObjectFieldStart("unavailable");
      for (Map.Entry<String, Zman> e : day.zmanim().entrySet()) {
        writeReason(g, e.getKey(), e.getValue());
      }
      writeReason(g, "candleLighting", day.candleLighting());
      g.writeEndObject();
      g.writeNumberField(
          "candleLightingMinutesBeforeSunset", ZmanimCalculator.CANDLE_LIGHTING_MINUTES);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "writing a zmanim response into memory", e); // cannot happen: no I/O
    }
    return out.toByteArray();
  }

  private static void writeTime(JsonGenerator g, String name, Zman zman) throws IOException {
    if (zman.time() == null) {
      g.writeNullField(name);
    } else {
      g.writeStringField(name, format(zman.time()));
    }
  }

  private static void writeReason(JsonGenerator g, String name, Zman zman) throws IOException {
    if (zman.reason() != null) {
      g.writeStringField(name, zman.reason());
    }
  }

  /**
   * {@link #TIME}'s output, written by hand for four-digit years and whole-minute offsets (every
   * zone today; some zones had offsets with seconds before the 1970s, left to the formatter).
   */
  static String format(OffsetDateTime t) {
    int offset = t.getOffset().getTotalSeconds();
    int year = t.getYear();
    if (offset % 60 != 0 || year < 1000 || year > 9999) {
      return TIME.format(t);
    }
    char[] c = new char[25];
    digits(c, 0, year / 100);
    digits(c, 2, year % 100);
    c[4] = '-';
    digits(c, 5, t.getMonthValue());
    c[7] = '-';
    digits(c, 8, t.getDayOfMonth());
    c[10] = 'T';
    digits(c, 11, t.getHour());
    c[13] = ':';
    digits(c, 14, t.getMinute());
    c[16] = ':';
    digits(c, 17, t.getSecond());
    c[19] = offset < 0 ? '-' : '+';
    int minutes = Math.abs(offset) / 60;
    digits(c, 20, minutes / 60);
    c[22] = ':';
    digits(c, 23, minutes % 60);
    return new String(c);
  }

  /** Two decimal digits of {@code value} (0-99) at {@code at}. */
  private static void digits(char[] c, int at, int value) {
    c[at] = (char) ('0' + value / 10);
    c[at + 1] = (char) ('0' + value % 10);
  }
}
