package com.zmanim.api.zmanim;

import com.zmanim.api.http.ApiException;
import com.zmanim.api.http.Params;
import com.zmanim.api.http.Requests;
import com.zmanim.api.localities.Locality;
import com.zmanim.api.localities.LocalityJson;
import com.zmanim.api.localities.LocalityRepository;
import io.javalin.Javalin;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/zmanim?lat=&lng=&date=&tz=[&elevation=]} and
 * {@code GET /api/v1/zmanim?locality=<id>&date=}.
 */
public final class ZmanimRoutes {
  public static final LocalDate MIN_DATE = LocalDate.of(1900, 1, 1);
  public static final LocalDate MAX_DATE = LocalDate.of(2199, 12, 31);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  private ZmanimRoutes() { }

  public static void register(Javalin app, ZmanimCalculator calculator, LocalityRepository localities) {
    app.get("/api/v1/zmanim", ctx -> {
      Params p = Requests.params(ctx);
      Place place;
      Locality locality = null;
      if (p.has("locality")) {
        for (String other : new String[] {"lat", "lng", "tz", "elevation"}) {
          if (p.has(other)) {
            throw ApiException.badParameter(other, "give either locality or lat/lng/tz/elevation, not both", "locality alone, or lat, lng and tz");
          }
        }
        long id = p.requiredInteger("locality", 1, Integer.MAX_VALUE);
        locality = localities.byId(id).orElseThrow(() -> ApiException.notFound("no locality with id " + id));
        double elevation = locality.elevationMetres() == null ? 0 : locality.elevationMetres();
        place = new Place(locality.latitude(), locality.longitude(), elevation, ZoneId.of(locality.timeZone()));
      } else {
        double lat = p.requiredDecimal("lat", -90, 90);
        double lng = p.requiredDecimal("lng", -180, 180);
        ZoneId zone = p.requiredZone("tz");
        double elevation = p.decimal("elevation", 0, 9_000).orElse(0.0);
        place = new Place(lat, lng, elevation, zone);
      }
      LocalDate date = p.requiredDate("date", MIN_DATE, MAX_DATE);
      ctx.json(toJson(calculator.compute(place, date), locality));
    });
  }

  /** The response body: times as ISO-8601 local date-times with offset, null with a reason when absent. */
  public static Map<String, Object> toJson(ZmanimDay day, Locality locality) {
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

  private static void put(Map<String, Object> times, Map<String, Object> reasons, String name, Zman zman) {
    times.put(name, zman.time() == null ? null : TIME.format(zman.time()));
    if (zman.reason() != null) {
      reasons.put(name, zman.reason());
    }
  }
}
