package com.zmanim.api.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.postgresql.PGConnection;

/**
 * Migration 2: COPYs the bundled GeoNames dataset ({@value #RESOURCE}, provenance in
 * db/localities/SOURCE.md) into {@code localities_load}, which V3 moves into {@code localities}. A
 * Java migration rather than a 2 MB SQL file because Flyway parses every SQL migration at every
 * start to validate it; this keeps start-up on an existing schema fast. Its checksum is the CRC32
 * of the data file, so an edited file fails validation just as an edited SQL file would: a refresh
 * of the data must be a new migration.
 */
public final class LocalitiesData implements JavaMigration {
  static final String RESOURCE = "db/localities/geonames-cities15000.tsv";
  private static final String COPY =
      "COPY localities_load (id, name, country_code, admin1_code, latitude, longitude, population, time_zone) FROM STDIN";

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("2");
  }

  @Override
  public String getDescription() {
    return "localities data";
  }

  @Override
  public Integer getChecksum() {
    CRC32 crc = new CRC32();
    try (InputStream in = open()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (int) crc.getValue();
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws Exception {
    PGConnection pg = context.getConnection().unwrap(PGConnection.class);
    try (Reader data = new InputStreamReader(open(), StandardCharsets.UTF_8)) {
      long rows = pg.getCopyAPI().copyIn(COPY, data);
      if (rows < 1_000) {
        throw new IllegalStateException(
            RESOURCE + " holds only " + rows + " rows: the bundled dataset is damaged");
      }
    }
  }

  private static InputStream open() throws IOException {
    InputStream in = LocalitiesData.class.getClassLoader().getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IOException(RESOURCE + " is missing from the artifact");
    }
    return in;
  }
}
