package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * SQL inside the instance over the local socket (peer authentication), as an operator on the box
 * runs it.
 */
public final class Psql {
  private final Instance instance;

  Psql(Instance instance) {
    this.instance = instance;
  }

  /**
   * Runs {@code sql} in database {@code db} as postgres, stopping at the first error; tuples only,
   * unaligned.
   */
  public String query(String db, String sql) {
    return instance
        .exec(
            Duration.ofSeconds(60),
            "runuser",
            "-u",
            "postgres",
            "--",
            "psql",
            "-X",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            db,
            "-tAc",
            sql)
        .check()
        .out()
        .strip();
  }

  /** Runs a SQL script as postgres. */
  public void script(String db, String sql) {
    script("postgres", db, sql, Duration.ofMinutes(15));
  }

  /**
   * Runs a SQL script as OS user (and so database role) {@code user}, stopping at the first error;
   * the script goes in a file in the instance (no size limit on argv).
   */
  public void script(String user, String db, String sql, Duration timeout) {
    String file = "var/tmp/rehearsal-" + user + ".sql";
    try {
      Files.writeString(instance.root().resolve(file), sql);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    instance
        .exec(
            timeout,
            "runuser",
            "-u",
            user,
            "--",
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            db,
            "-f",
            "/" + file)
        .check();
  }
}
