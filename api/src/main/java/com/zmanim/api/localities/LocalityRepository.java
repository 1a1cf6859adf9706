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
         PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + ", NULL::float8 AS distance FROM localities WHERE id = ?")) {
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
    // The normalised term and its LIKE prefix are computed once (init plans), so that both the
    // prefix match and the trigram match can use the GIN index on search_name.
    String sql = "WITH q AS MATERIALIZED (SELECT lower(unaccent(?)) AS term), "
        + "p AS MATERIALIZED (SELECT term, replace(replace(replace(term, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' AS prefix FROM q) "
        + "SELECT " + COLUMNS + ", NULL::float8 AS distance FROM localities "
        + "WHERE search_name LIKE (SELECT prefix FROM p) OR search_name % (SELECT term FROM p) "
        + "ORDER BY search_name LIKE (SELECT prefix FROM p) DESC, similarity(search_name, (SELECT term FROM p)) DESC, "
        + "population DESC, id LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, query);
      s.setInt(2, limit);
      return read(s);
    }
  }

  /** The nearest places to a point, nearest first (KNN on the GiST index), with distances in metres. */
  public List<Locality> nearby(double latitude, double longitude, int limit) throws SQLException {
    String sql = "WITH p AS (SELECT ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography AS here) "
        + "SELECT " + COLUMNS + ", ST_Distance(location, here) AS distance FROM localities, p "
        + "ORDER BY location <-> here, id LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setDouble(1, longitude); // PostGIS points are (x, y) = (longitude, latitude)
      s.setDouble(2, latitude);
      s.setInt(3, limit);
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
        out.add(new Locality(r.getLong("id"), r.getString("name"), r.getString("country_code"), r.getString("admin1_code"),
            r.getDouble("latitude"), r.getDouble("longitude"), elevationOrNull, r.getLong("population"),
            r.getString("time_zone"), distanceOrNull));
      }
    }
    return out;
  }
}
