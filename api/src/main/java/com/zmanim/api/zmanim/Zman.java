package com.zmanim.api.zmanim;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One time of the day: either an instant (to the second) with the zone's offset at that instant,
 * or, when it does not occur on that day at that place, no offset and a {@code reason}. The instant
 * is kept as epoch seconds rather than an {@link OffsetDateTime}: the response writes it from these
 * two numbers, and a profile under load showed making and taking apart an {@code OffsetDateTime}
 * per time as a fifth of writing the body.
 */
public record Zman(long epochSecond, ZoneOffset offset, String reason) {
  public Zman {
    if ((offset == null) == (reason == null)) {
      throw new IllegalArgumentException("exactly one of offset and reason");
    }
  }

  /** The local date-time with its offset, or {@code null} when the time does not occur. */
  public OffsetDateTime time() {
    return offset == null
        ? null
        : OffsetDateTime.of(LocalDateTime.ofEpochSecond(epochSecond, 0, offset), offset);
  }

  public static Zman at(OffsetDateTime time) {
    return new Zman(time.toEpochSecond(), time.getOffset(), null);
  }

  static Zman at(long epochSecond, ZoneOffset offset) {
    return new Zman(epochSecond, offset, null);
  }

  public static Zman absent(String reason) {
    return new Zman(0, null, reason);
  }
}
