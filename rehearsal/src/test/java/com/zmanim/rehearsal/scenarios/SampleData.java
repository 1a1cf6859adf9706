package com.zmanim.rehearsal.scenarios;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data the backup and recovery scenarios write and check: a generated dataset in PostgreSQL
 * (changed the ways an application changes it) and Redis keys, and content digests of every table
 * and of Redis's keyspace (equal digests mean equal contents).
 */
final class SampleData {
  private SampleData() {}

  /**
   * Generates the benchmark dataset inside PostgreSQL (generate_series: no data crosses the
   * container boundary): events, PostGIS places, users and documents. {@code scale} 1.0 makes a
   * database of about 1 GiB. Returns pg_database_size in bytes.
   */
  static long generate(Instance i, double scale) {
    long events = Math.round(4_400_000 * scale);
    long places = Math.round(1_500_000 * scale);
    long users = Math.round(800_000 * scale);
    long documents = Math.round(160_000 * scale);
    String sql =
        """
                SET synchronous_commit = off;
                SET maintenance_work_mem = '256MB';
                CREATE TABLE bench_events (id bigint NOT NULL, at timestamptz NOT NULL, kind text NOT NULL,
                    payload text NOT NULL);
                INSERT INTO bench_events SELECT g, timestamptz '2026-01-01' + g * interval '1 second',
                    (ARRAY['sunrise','sunset','query','cache'])[1 + g %% 4], md5(g::text) || md5((g * 7)::text)
                  FROM generate_series(1, %d) g;
                ALTER TABLE bench_events ADD PRIMARY KEY (id);
                CREATE TABLE bench_places (id bigint NOT NULL, name text NOT NULL, geom geometry(Point, 4326) NOT NULL);
                INSERT INTO bench_places SELECT g, 'place-' || g,
                    ST_SetSRID(ST_MakePoint(-180 + (g * 0.000137) %% 360, -80 + (g * 0.0000731) %% 160), 4326)
                  FROM generate_series(1, %d) g;
                ALTER TABLE bench_places ADD PRIMARY KEY (id);
                CREATE TABLE bench_users (id bigint NOT NULL, email text NOT NULL, created timestamptz NOT NULL);
                INSERT INTO bench_users SELECT g, 'user' || g || '@example.org', timestamptz '2025-01-01' + g * interval '1 minute'
                  FROM generate_series(1, %d) g;
                ALTER TABLE bench_users ADD PRIMARY KEY (id);
                CREATE TABLE bench_documents (id bigint NOT NULL, body text NOT NULL);
                INSERT INTO bench_documents SELECT g, repeat(md5(g::text), 24) FROM generate_series(1, %d) g;
                ALTER TABLE bench_documents ADD PRIMARY KEY (id);
                ALTER TABLE bench_events OWNER TO zmanim;
                ALTER TABLE bench_places OWNER TO zmanim;
                ALTER TABLE bench_users OWNER TO zmanim;
                ALTER TABLE bench_documents OWNER TO zmanim;
                CHECKPOINT;
                """
            .formatted(events, places, users, documents);
    i.sql().script("zmanim", sql);
    return Long.parseLong(i.psql("zmanim", "SELECT pg_database_size('zmanim')"));
  }

  /**
   * Changes about 1 % of the rows of every generated table the way an application does: the newest
   * 0.5 % updated, as many rows inserted, a few old ones deleted (changes cluster in recent rows).
   */
  static void changeOnePercent(Instance i) {
    StringBuilder sql = new StringBuilder("SET synchronous_commit = off;\n");
    for (String t : List.of("bench_events", "bench_places", "bench_users", "bench_documents")) {
      sql.append(
          """
                    CREATE TEMP TABLE n AS SELECT max(id) AS top, count(*) AS cnt FROM %1$s;
                    UPDATE %1$s SET %2$s WHERE id > (SELECT top - cnt / 200 FROM n);
                    INSERT INTO %1$s SELECT g, %3$s FROM generate_series((SELECT top + 1 FROM n), (SELECT top + cnt / 200 FROM n)) g;
                    DELETE FROM %1$s WHERE id BETWEEN (SELECT top / 2 FROM n) AND (SELECT top / 2 + cnt / 2000 FROM n);
                    DROP TABLE n;
                    """
              .formatted(t, UPDATES.get(t), INSERTS.get(t)));
    }
    i.sql().script("zmanim", sql.toString());
  }

  /**
   * Changes every 100th row of every generated table (1 % spread evenly): no 1 MiB stretch of the
   * dump stays the same, which content-defined chunking cannot deduplicate (backup-incremental
   * records what that costs).
   */
  static void changeEveryHundredthRow(Instance i) {
    StringBuilder sql = new StringBuilder("SET synchronous_commit = off;\n");
    for (String t : List.of("bench_events", "bench_places", "bench_users", "bench_documents")) {
      sql.append("UPDATE ")
          .append(t)
          .append(" SET ")
          .append(UPDATES.get(t))
          .append(" WHERE id % 100 = 7;\n");
    }
    i.sql().script("zmanim", sql.toString());
  }

  private static final Map<String, String> UPDATES =
      Map.of(
          "bench_events", "payload = md5(payload) || md5(kind || id)",
          "bench_places", "geom = ST_Translate(geom, 0.001, 0.001)",
          "bench_users", "email = 'changed' || id || '@example.org'",
          "bench_documents", "body = repeat(md5(body), 24)");
  private static final Map<String, String> INSERTS =
      Map.of(
          "bench_events", "now(), 'query', md5(g::text)",
          "bench_places", "'new-' || g, ST_SetSRID(ST_MakePoint(35.2, 31.7), 4326)",
          "bench_users", "'new' || g || '@example.org', now()",
          "bench_documents", "repeat(md5(g::text), 24)");

  /**
   * Every table of database zmanim (all schemas but the system ones) → "rows:digest", the digest an
   * order-independent sum of each row's md5: equal digests mean equal contents.
   */
  static Map<String, String> tableDigests(Instance i) {
    Map<String, String> digests = new LinkedHashMap<>();
    String tables =
        i.psql(
            "zmanim",
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
                + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1");
    for (String t : tables.split("\n")) {
      if (!t.isBlank()) {
        digests.put(
            t,
            i.exec(
                    Duration.ofMinutes(5),
                    "runuser",
                    "-u",
                    "postgres",
                    "--",
                    "psql",
                    "-X",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-d",
                    "zmanim",
                    "-tAc",
                    "SELECT count(*) || ':' || coalesce(sum(('x' ||"
                        + " left(md5(t::text), 15))::bit(60)::bigint), 0) FROM "
                        + t
                        + " t")
                .check()
                .out()
                .strip());
      }
    }
    return digests;
  }

  /**
   * Writes {@code n} Redis keys (strings and a hash) through redis-cli --pipe inside the instance.
   */
  static void fillRedis(World w, Instance i, int n) {
    i.exec(
            Duration.ofMinutes(2),
            "bash",
            "-c",
            "for k in $(seq 1 "
                + n
                + "); do echo \"SET bench:$k value-$k\"; done"
                + " | REDISCLI_AUTH=\"$(sed -n 's/^requirepass //p' /etc/redis/zmanim-secrets.conf)\""
                + " redis-cli --no-auth-warning --pipe")
        .check();
    Steps.redis(w, i, "HSET", "bench:hash", "a", "1", "b", "2");
  }

  /** Redis's whole keyspace as "keys:sha1" (each key with its type and value, sorted). */
  static String redisDigest(World w, Instance i) {
    return Steps.redis(
        w,
        i,
        "EVAL",
        """
                local keys = redis.call('KEYS', '*')
                table.sort(keys)
                local parts = {}
                for _, k in ipairs(keys) do
                  local t = redis.call('TYPE', k).ok
                  local v
                  if t == 'string' then v = redis.call('GET', k)
                  elseif t == 'hash' then v = table.concat(redis.call('HGETALL', k), ',')
                  else v = t end
                  parts[#parts + 1] = k .. '=' .. t .. ':' .. v
                end
                return #keys .. ':' .. redis.sha1hex(table.concat(parts, '\\n'))
                """,
        "0");
  }
}
