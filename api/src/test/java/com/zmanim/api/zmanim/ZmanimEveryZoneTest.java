package com.zmanim.api.zmanim;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.api.support.RunningApi;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * For one bundled locality of every time zone in the dataset (the one farthest from the prime
 * meridian, where a wrong date is likeliest), on the solstices, an equinox and the DST change days:
 * the day's chatzos is on the requested local date, and its sunrise and sunset (when they occur)
 * lie within 12 hours before and after it, so no time of a neighbouring day is ever reported.
 * Sunset itself may carry the next date where a zone runs far ahead of the sun (Nuuk in June).
 */
class ZmanimEveryZoneTest {
  private static final List<LocalDate> DATES =
      List.of(
          LocalDate.of(2026, 3, 8),
          LocalDate.of(2026, 3, 20),
          LocalDate.of(2026, 3, 29),
          LocalDate.of(2026, 6, 21),
          LocalDate.of(2026, 10, 25),
          LocalDate.of(2026, 11, 1),
          LocalDate.of(2026, 12, 21));

  private record Row(String zone, double lat, double lng) {}

  @Test
  void inNuukInJuneSunsetComesAfterLocalMidnightAndSaysSo() {
    // Nuuk: longitude -51.7 (UTC-3.4 by the sun) on UTC-1 summer time: the sun sets after midnight.
    Place nuuk = new Place(64.18347, -51.72157, 0, ZoneId.of("America/Nuuk"));
    ZmanimDay day = new ZmanimCalculator().compute(nuuk, LocalDate.of(2026, 6, 21));
    assertThat(day.zmanim().get("sunrise").time().toLocalDate())
        .isEqualTo(LocalDate.of(2026, 6, 21));
    assertThat(day.zmanim().get("sunset").time().toLocalDate())
        .isEqualTo(LocalDate.of(2026, 6, 22));
    assertThat(day.zmanim().get("sunset").time().getHour()).isLessThan(3);
  }

  @Test
  void theDaysTimesBelongToTheRequestedDateOrAreAbsentWithAReasonInEveryZone() throws Exception {
    List<Row> rows = new ArrayList<>();
    try (Connection c = RunningApi.shared().database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT DISTINCT ON (time_zone) time_zone, latitude, longitude FROM localities "
                    + "ORDER BY time_zone, abs(longitude) DESC")) {
      while (r.next()) {
        rows.add(new Row(r.getString(1), r.getDouble(2), r.getDouble(3)));
      }
    }
    assertThat(rows).hasSizeGreaterThan(300);
    ZmanimCalculator calculator = new ZmanimCalculator();
    for (Row row : rows) {
      Place place = new Place(row.lat(), row.lng(), 0, ZoneId.of(row.zone()));
      for (LocalDate date : DATES) {
        ZmanimDay day = calculator.compute(place, date);
        Zman chatzos = day.zmanim().get("chatzos");
        if (chatzos.time() == null) {
          assertThat(chatzos.reason()).as(row + " " + date).isNotBlank();
          continue;
        }
        assertThat(chatzos.time().toLocalDate()).as(row + " " + date + " chatzos").isEqualTo(date);
        Zman sunrise = day.zmanim().get("sunrise");
        Zman sunset = day.zmanim().get("sunset");
        if (sunrise.time() != null) {
          assertThat(sunrise.time())
              .as(row + " " + date + " sunrise")
              .isBefore(chatzos.time())
              .isAfter(chatzos.time().minusHours(12));
        }
        if (sunset.time() != null) {
          assertThat(sunset.time())
              .as(row + " " + date + " sunset")
              .isAfter(chatzos.time())
              .isBefore(chatzos.time().plusHours(12));
        }
      }
    }
  }
}
