package com.zmanim.api.zmanim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.api.http.ApiException;
import com.zmanim.api.http.Params;
import com.zmanim.api.http.Requests;
import com.zmanim.api.localities.Locality;
import com.zmanim.api.localities.LocalityRepository;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * {@code GET /api/v1/zmanim?lat=&lng=&date=&tz=[&elevation=]} and {@code GET
 * /api/v1/zmanim?locality=<id>&date=}.
 */
public final class ZmanimRoutes {
  public static final LocalDate MIN_DATE = LocalDate.of(1900, 1, 1);
  public static final LocalDate MAX_DATE = LocalDate.of(2199, 12, 31);

  private ZmanimRoutes() {}

  public static void register(
      Javalin app, ZmanimCalculator calculator, LocalityRepository localities, ObjectMapper json) {
    app.get(
        "/api/v1/zmanim",
        ctx -> {
          Params p = Requests.params(ctx);
          Place place;
          Locality locality = null;
          if (p.has("locality")) {
            for (String other : new String[] {"lat", "lng", "tz", "elevation"}) {
              if (p.has(other)) {
                throw ApiException.badParameter(
                    other,
                    "give either locality or lat/lng/tz/elevation, not both",
                    "locality alone, or lat, lng and tz");
              }
            }
            long id = p.requiredInteger("locality", 1, Integer.MAX_VALUE);
            locality =
                localities
                    .byId(id)
                    .orElseThrow(() -> ApiException.notFound("no locality with id " + id));
            double elevation = locality.elevationMetres() == null ? 0 : locality.elevationMetres();
            place =
                new Place(
                    locality.latitude(),
                    locality.longitude(),
                    elevation,
                    ZoneId.of(locality.timeZone()));
          } else {
            double lat = p.requiredDecimal("lat", -90, 90);
            double lng = p.requiredDecimal("lng", -180, 180);
            ZoneId zone = p.requiredZone("tz");
            double elevation = p.decimal("elevation", 0, 9_000).orElse(0.0);
            place = new Place(lat, lng, elevation, zone);
          }
          LocalDate date = p.requiredDate("date", MIN_DATE, MAX_DATE);
          byte[] body = ZmanimJson.write(json, calculator.compute(place, date), locality);
          // Written to the response's stream here, not handed over as a result: Javalin copies a
          // result through a new buffer of the response buffer's size (32 KiB) per response, which
          // a profile showed as most of what the route allocated. The stream is the same one
          // (compression, the request logger and the metrics see the response as before).
          ctx.contentType(ContentType.APPLICATION_JSON).outputStream().write(body);
        });
  }
}
