package com.zmanim.api.zmanim;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Where to compute: latitude and longitude in degrees (north and east positive; note the order),
 * elevation in metres above sea level, and the IANA zone whose local times are wanted.
 */
public record Place(double latitude, double longitude, double elevationMetres, ZoneId zone) {
  public Place {
    Objects.requireNonNull(zone, "zone");
    if (!(latitude >= -90 && latitude <= 90)) {
      throw new IllegalArgumentException("latitude out of range: " + latitude);
    }
    if (!(longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException("longitude out of range: " + longitude);
    }
    // KosherJava refuses negative elevations, so 0-9000 m is the accepted range.
    if (!(elevationMetres >= 0 && elevationMetres <= 9_000)) {
      throw new IllegalArgumentException("elevation out of range: " + elevationMetres);
    }
  }
}
