package com.zmanim.api.localities;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.api.support.RunningApi;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real migrations, applied by the API as the non-superuser owner role, and the data they load.
 */
class LocalityMigrationTest {
  private static DataSource db;

  @BeforeAll
  static void start() {
    db = RunningApi.shared().database.dataSource();
  }

  private static List<String> column(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  @Test
  void theMigrationsRanAsARoleThatIsNotSuperuser() throws Exception {
    assertThat(column("SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"))
        .containsExactly("false");
    assertThat(column("SELECT current_user")).containsExactly("zmanim");
    assertThat(
            column(
                "SELECT success::text FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank"))
        .containsExactly("true", "true", "true");
  }

  @Test
  void atLeastAThousandLocalitiesAreLoadedAndTheStagingTableIsGone() throws Exception {
    assertThat(Integer.parseInt(column("SELECT count(*) FROM localities").get(0)))
        .isGreaterThanOrEqualTo(1_000);
    assertThat(column("SELECT to_regclass('localities_load')::text"))
        .containsExactly((String) null);
  }

  @Test
  void everyLocalitysTimeZoneIsOneJavaKnows() throws Exception {
    for (String zone : column("SELECT DISTINCT time_zone FROM localities")) {
      assertThat(ZoneId.getAvailableZoneIds()).as(zone).contains(zone);
    }
  }

  @Test
  void locationsArePointsBuiltFromLongitudeThenLatitude() throws Exception {
    assertThat(
            column(
                "SELECT count(*) FROM localities WHERE abs(ST_Y(location::geometry) - latitude) > 1e-9 "
                    + "OR abs(ST_X(location::geometry) - longitude) > 1e-9"))
        .containsExactly("0");
    assertThat(
            column(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'localities'::regclass AND attname = 'location'"))
        .containsExactly("geography(Point,4326)");
  }

  @Test
  void nearbyUsesTheGistIndexForKnnOrdering() throws Exception {
    String plan =
        String.join(
            "\n",
            column(
                "EXPLAIN SELECT id FROM localities "
                    + "ORDER BY location <-> ST_SetSRID(ST_MakePoint(35.2, 31.7), 4326)::geography LIMIT 10"));
    assertThat(plan).contains("Index Scan using localities_location_gist");
  }

  @Test
  void theTrigramIndexServesBothThePrefixAndTheFuzzyMatch() throws Exception {
    // On 34,000 rows the planner may prefer a sequential scan; this checks that the index can
    // answer
    // the query's shape (both arms of the OR), which matters as the table grows.
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET enable_seqscan = off");
      List<String> plan = new ArrayList<>();
      try (ResultSet r =
          s.executeQuery(
              "EXPLAIN SELECT id FROM localities WHERE search_name LIKE 'jerus%' OR search_name % 'jerus'")) {
        while (r.next()) {
          plan.add(r.getString(1));
        }
      } finally {
        s.execute("RESET enable_seqscan");
      }
      assertThat(String.join("\n", plan))
          .contains("Bitmap Index Scan on localities_search_name_trgm")
          .doesNotContain("Seq Scan");
    }
  }
}
