package com.zmanim.api.localities;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shape of a locality in responses (explicit, so the API does not follow field renames).
 */
public final class LocalityJson {
  private LocalityJson() {}

  public static Map<String, Object> of(Locality l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", l.id());
    m.put("name", l.name());
    m.put("country", l.countryCode());
    m.put("admin1", l.admin1Code());
    m.put("latitude", l.latitude());
    m.put("longitude", l.longitude());
    m.put("elevation", l.elevationMetres());
    m.put("population", l.population());
    m.put("timeZone", l.timeZone());
    if (l.distanceMetres() != null) {
      m.put("distanceMetres", Math.round(l.distanceMetres() * 10) / 10.0);
    }
    return m;
  }
}
