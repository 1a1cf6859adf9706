package com.zmanim.api.zmanim;

import java.time.OffsetDateTime;

/**
 * One time of the day: either {@code time} (local, with the zone's offset at that instant) or, when
 * it does not occur on that day at that place, {@code null} and a {@code reason}.
 */
public record Zman(OffsetDateTime time, String reason) {
  public Zman {
    if ((time == null) == (reason == null)) {
      throw new IllegalArgumentException("exactly one of time and reason");
    }
  }

  public static Zman at(OffsetDateTime time) {
    return new Zman(time, null);
  }

  public static Zman absent(String reason) {
    return new Zman(null, reason);
  }
}
