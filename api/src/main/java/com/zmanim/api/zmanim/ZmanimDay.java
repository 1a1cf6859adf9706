package com.zmanim.api.zmanim;

import java.time.LocalDate;
import java.util.Map;

/**
 * A day's times at a place, in a fixed order (the map iterates in the order of {@link
 * ZmanimCalculator#NAMES}), and candle lighting (absent with a reason unless Friday or erev yom
 * tov).
 */
public record ZmanimDay(
    Place place, LocalDate date, Map<String, Zman> zmanim, Zman candleLighting) {
  public ZmanimDay {
    zmanim = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(zmanim));
  }
}
