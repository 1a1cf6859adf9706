package com.zmanim.api.zmanim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * A day's local times, offset reused between transitions, are what java.time gives for each
 * instant.
 */
class LocalTimesTest {
  private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().toList();

  @Property(tries = 1000)
  void everyInstantOfADayGetsTheOffsetOfItsZoneAtThatInstant(
      @ForAll("zones") String zone,
      @ForAll @LongRange(min = -2_240_000_000_000L, max = 7_300_000_000_000L) long baseMillis,
      @ForAll @Size(min = 1, max = 20)
          List<@LongRange(min = -16 * 3600_000L, max = 16 * 3600_000L) Long> fromBase) {
    ZmanimCalculator.LocalTimes local = new ZmanimCalculator.LocalTimes(ZoneId.of(zone));
    for (long delta : fromBase) {
      Date t = new Date(baseMillis + delta);
      assertThat(local.at(t))
          .as(zone + " " + t.toInstant())
          .isEqualTo(expected(t, ZoneId.of(zone)));
    }
  }

  @Example
  void instantsAtAroundAndBetweenTransitionsInAnyOrderGetTheirOwnOffset() {
    Random random = new Random(7);
    for (String zone :
        List.of(
            "America/New_York",
            "Europe/London",
            "Asia/Jerusalem",
            "Australia/Lord_Howe",
            "Pacific/Apia",
            "America/Nuuk",
            "Africa/Casablanca",
            "Europe/Dublin")) {
      ZoneId id = ZoneId.of(zone);
      List<Date> instants = new ArrayList<>();
      ZoneOffsetTransition transition =
          id.getRules().nextTransition(Instant.parse("2009-01-01T00:00:00Z"));
      while (transition != null
          && transition.getInstant().isBefore(Instant.parse("2027-01-01T00:00:00Z"))) {
        long at = transition.getInstant().toEpochMilli();
        for (long delta :
            new long[] {-3600_000, -1000, -501, -500, -499, 0, 499, 500, 1000, 3600_000}) {
          instants.add(new Date(at + delta));
        }
        transition = id.getRules().nextTransition(transition.getInstant());
      }
      for (int round = 0; round < 3; round++) {
        Collections.shuffle(instants, random);
        ZmanimCalculator.LocalTimes local = new ZmanimCalculator.LocalTimes(id);
        for (Date t : instants) {
          assertThat(local.at(t)).as(zone + " " + t.toInstant()).isEqualTo(expected(t, id));
        }
      }
    }
  }

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of(ZONES);
  }

  /** What the calculator computed for each time before it reused offsets. */
  private static OffsetDateTime expected(Date t, ZoneId zone) {
    return t.toInstant()
        .plusMillis(500)
        .truncatedTo(ChronoUnit.SECONDS)
        .atZone(zone)
        .toOffsetDateTime();
  }
}
