package com.zmanim.api.localities;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads localities from PostgreSQL/PostGIS. Queries are bounded by the callers' limits. */
public final class LocalityRepository {
  private static final String COLUMNS =
      "id, name, country_code, admin1_code, latitude, longitude, elevation_m, population, time_zone";

  private final DataSource dataSource;

  public LocalityRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public Optional<Locality> byId(long id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT " + COLUMNS + ", NULL::float8 AS distance FROM localities WHERE id = ?")) {
      s.setLong(1, id);
      List<Locality> found = read(s);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  /**
   * Places whose name starts with {@code query} (accents and case ignored) first, then names that
   * are similar by trigrams (pg_trgm), then by population.
   */
  public List<Locality> search(String query, int limit) throws SQLException {
    // The term is normalised like search_name (lower(unaccent())); both arms of the OR are
    // answered by the trigram GIN index. The expressions must stay inline (not in a CTE), or the
    // planner cannot use them as index conditions.
    String term = "lower(unaccent(?))";
    String prefix =
        "(replace(replace(replace(" + term + ", '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')";
    String sql =
        "SELECT "
            + COLUMNS
            + ", NULL::float8 AS distance FROM localities "
            + "WHERE search_name LIKE "
            + prefix
            + " OR search_name % "
            + term
            + " "
            + "ORDER BY search_name LIKE "
            + prefix
            + " DESC, similarity(search_name, "
            + term
            + ") DESC, population DESC, id LIMIT ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 1; i <= 4; i++) {
        s.setString(i, query);
      }
      s.setInt(5, limit);
      return read(s);
    }
  }

  /**
   * The nearest places to a point, nearest first (KNN on the GiST index), with distances in metres.
   */
  public List<Locality> nearby(double latitude, double longitude, int limit) throws SQLException {
    // The point must be inline (not in a CTE) for the GiST index to drive the KNN ordering.
    String here = "ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography";
    String sql =
        "SELECT "
            + COLUMNS
            + ", ST_Distance(location, "
            + here
            + ") AS distance FROM localities "
            + "ORDER BY location <-> "
            + here
            + " LIMIT ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 1; i <= 3; i += 2) {
        s.setDouble(i, longitude); // PostGIS points are (x, y) = (longitude, latitude)
        s.setDouble(i + 1, latitude);
      }
      s.setInt(5, limit);
      return read(s);
    }
  }

  private static List<Locality> read(PreparedStatement s) throws SQLException {
    List<Locality> out = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        double elevation = r.getDouble("elevation_m");
        Double elevationOrNull = r.wasNull() ? null : elevation;
        double distance = r.getDouble("distance");
        Double distanceOrNull = r.wasNull() ? null : distance;
        out.add(
            new Locality(
                r.getLong("id"),
                r.getString("name"),
                r.getString("country_code"),
                r.getString("admin1_code"),
                r.getDouble("latitude"),
                r.getDouble("longitude"),
                elevationOrNull,
                r.getLong("population"),
                r.getString("time_zone"),
                distanceOrNull));
      }
    }
    return out;
  }
}
