package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.World;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the backup scenarios share: a generated dataset, content digests of every table and of Redis,
 * the backup units run as their timers would, and what moto recorded (the repository's objects in S3,
 * the custom metrics, the SES e-mails).
 */
final class Backups {
    static final Duration UNIT = Duration.ofMinutes(20);
    static final String REPO_PREFIX = "restic/";

    private Backups() {
    }

    /**
     * Static keys for restic in endpoints.env (contract §2 allows them for the stand-in): on AWS
     * restic takes the instance profile's credentials from IMDS at 169.254.169.254, but it does not
     * honour AWS_EC2_METADATA_SERVICE_ENDPOINT, so it cannot reach the rehearsal's metadata mock.
     * moto does not check them (its IAM checks are off). Call before the first launch.
     */
    static void resticCredentials(World w) {
        // pgBackRest takes the same keys (boot writes them into its configuration, repo1-s3-key-type=shared).
        w.endpointsExtra().put("AWS_ACCESS_KEY_ID", "rehearsal");
        w.endpointsExtra().put("AWS_SECRET_ACCESS_KEY", "rehearsal");
        // Rehearsal-only: every backup run holds the restic dump the backup scenarios restore and
        // break (the image's default is Sundays only, ZMANIM_LOGICAL_DUMP_WEEKDAY=7).
        w.endpointsExtra().put("ZMANIM_LOGICAL_DUMP_WEEKDAY", "daily");
    }

    /**
     * What every backup scenario starts from: a healthy instance whose restic and pgBackRest reach
     * their repositories, both created by the operator's command the README's deploy steps name
     * (`zmanim-backup init`: the restic repository, the pgBackRest stanza, WAL archiving checked; the
     * backup never creates one by itself).
     */
    static Instance launchWithRepository(World w) {
        resticCredentials(w);
        Instance[] h = new Instance[1];
        Steps.launchHealthy(w, h);
        initRepository(h[0]);
        return h[0];
    }

    /** The operator's one-time {@code zmanim-backup init} after the first deploy (README, "Deploy"). */
    static void initRepository(Instance i) {
        Cmd.Result r = i.exec(UNIT, "zmanim-backup", "init");
        assertThat(r.exit()).as("zmanim-backup init: %s", r.err()).isZero();
    }

    /** Runs a SQL script as the application's role zmanim (OS user zmanim, peer authentication). */
    static void psqlScriptAsZmanim(Instance i, String db, String sql) {
        try {
            java.nio.file.Path f = i.root().resolve("var/tmp/rehearsal-zmanim.sql");
            java.nio.file.Files.writeString(f, sql);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        i.exec(Duration.ofMinutes(5), "runuser", "-u", "zmanim", "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-d", db, "-f", "/var/tmp/rehearsal-zmanim.sql").check();
    }

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
        String sql = """
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
                """.formatted(events, places, users, documents);
        psqlScript(i, "zmanim", sql);
        return Long.parseLong(i.psql("zmanim", "SELECT pg_database_size('zmanim')"));
    }

    /**
     * Changes about 1 % of the rows of every generated table the way an application does: the newest
     * 0.5 % updated, as many rows inserted, a few old ones deleted (changes cluster in recent rows).
     */
    static void changeOnePercent(Instance i) {
        StringBuilder sql = new StringBuilder("SET synchronous_commit = off;\n");
        for (String t : List.of("bench_events", "bench_places", "bench_users", "bench_documents")) {
            sql.append("""
                    CREATE TEMP TABLE n AS SELECT max(id) AS top, count(*) AS cnt FROM %1$s;
                    UPDATE %1$s SET %2$s WHERE id > (SELECT top - cnt / 200 FROM n);
                    INSERT INTO %1$s SELECT g, %3$s FROM generate_series((SELECT top + 1 FROM n), (SELECT top + cnt / 200 FROM n)) g;
                    DELETE FROM %1$s WHERE id BETWEEN (SELECT top / 2 FROM n) AND (SELECT top / 2 + cnt / 2000 FROM n);
                    DROP TABLE n;
                    """.formatted(t, UPDATES.get(t), INSERTS.get(t)));
        }
        psqlScript(i, "zmanim", sql.toString());
    }

    /**
     * Changes every 100th row of every generated table (1 % spread evenly): no 1 MiB stretch of the
     * dump stays the same, which content-defined chunking cannot deduplicate (backup-incremental
     * records what that costs).
     */
    static void changeEveryHundredthRow(Instance i) {
        StringBuilder sql = new StringBuilder("SET synchronous_commit = off;\n");
        for (String t : List.of("bench_events", "bench_places", "bench_users", "bench_documents")) {
            sql.append("UPDATE ").append(t).append(" SET ").append(UPDATES.get(t)).append(" WHERE id % 100 = 7;\n");
        }
        psqlScript(i, "zmanim", sql.toString());
    }

    private static final Map<String, String> UPDATES = Map.of(
            "bench_events", "payload = md5(payload) || md5(kind || id)",
            "bench_places", "geom = ST_Translate(geom, 0.001, 0.001)",
            "bench_users", "email = 'changed' || id || '@example.org'",
            "bench_documents", "body = repeat(md5(body), 24)");
    private static final Map<String, String> INSERTS = Map.of(
            "bench_events", "now(), 'query', md5(g::text)",
            "bench_places", "'new-' || g, ST_SetSRID(ST_MakePoint(35.2, 31.7), 4326)",
            "bench_users", "'new' || g || '@example.org', now()",
            "bench_documents", "repeat(md5(g::text), 24)");

    /** Runs a SQL script as postgres (the script goes in a file in the instance: no size limit on argv). */
    static void psqlScript(Instance i, String db, String sql) {
        try {
            java.nio.file.Path f = i.root().resolve("var/tmp/rehearsal-script.sql");
            java.nio.file.Files.writeString(f, sql);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        i.exec(Duration.ofMinutes(15), "runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-d", db, "-f", "/var/tmp/rehearsal-script.sql").check();
    }

    /**
     * Every table of database zmanim (all schemas but the system ones) → "rows:digest", the digest an
     * order-independent sum of each row's md5: equal digests mean equal contents.
     */
    static Map<String, String> tableDigests(Instance i) {
        Map<String, String> digests = new LinkedHashMap<>();
        String tables = i.psql("zmanim", "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
                + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1");
        for (String t : tables.split("\n")) {
            if (!t.isBlank()) {
                digests.put(t, i.exec(Duration.ofMinutes(5), "runuser", "-u", "postgres", "--", "psql", "-X",
                        "-v", "ON_ERROR_STOP=1", "-d", "zmanim", "-tAc", "SELECT count(*) || ':' || coalesce(sum(('x' ||"
                                + " left(md5(t::text), 15))::bit(60)::bigint), 0) FROM " + t + " t").check().out().strip());
            }
        }
        return digests;
    }

    /** Writes {@code n} Redis keys (strings and a hash) through redis-cli --pipe inside the instance. */
    static void fillRedis(World w, Instance i, int n) {
        i.exec(Duration.ofMinutes(2), "bash", "-c", "for k in $(seq 1 " + n + "); do echo \"SET bench:$k value-$k\"; done"
                + " | REDISCLI_AUTH=\"$(sed -n 's/^requirepass //p' /etc/redis/zmanim-secrets.conf)\""
                + " redis-cli --no-auth-warning --pipe").check();
        Steps.redis(w, i, "HSET", "bench:hash", "a", "1", "b", "2");
    }

    /** Redis's whole keyspace as "keys:sha1" (each key with its type and value, sorted). */
    static String redisDigest(World w, Instance i) {
        return Steps.redis(w, i, "EVAL", """
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
                """, "0");
    }

    /** Starts a unit as its timer would and waits for it; returns the result (exit != 0 when it failed). */
    static Cmd.Result startUnit(Instance i, String unit) {
        return i.exec(UNIT, "systemctl", "start", unit);
    }

    /** restic inside the instance with the repository settings the boot logic wrote. */
    static Cmd.Result restic(Instance i, String args) {
        return i.exec(Duration.ofMinutes(10), "bash", "-c", "set -a; . /etc/zmanim/instance.env; "
                + "[ ! -r /etc/zmanim/endpoints.env ] || . /etc/zmanim/endpoints.env; . /etc/restic/env; set +a; "
                + "restic " + args);
    }

    /** The snapshots in the repository (restic snapshots --json). */
    static JsonNode snapshots(Instance i) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(restic(i, "snapshots --json").check().out());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The restic repository's objects in moto's S3 (key → size). */
    static Map<String, Long> repositoryObjects(World w) {
        return prefixObjects(w, REPO_PREFIX);
    }

    /** The objects under a prefix of the backups bucket in moto's S3 (key → size). */
    static Map<String, Long> prefixObjects(World w, String prefix) {
        Map<String, Long> objects = new LinkedHashMap<>();
        JsonNode r = w.moto().aws("s3api", "list-objects-v2", "--bucket", w.env("ZMANIM_BACKUP_BUCKET"), "--prefix", prefix);
        if (r != null) {
            r.path("Contents").forEach(o -> objects.put(o.get("Key").asText(), o.get("Size").asLong()));
        }
        return objects;
    }

    /** Bytes stored under a prefix of the backups bucket (e.g. pgBackRest's WAL archive). */
    static long prefixBytes(World w, String prefix) {
        return prefixObjects(w, prefix).values().stream().mapToLong(Long::longValue).sum();
    }

    static long repositoryBytes(World w) {
        return repositoryObjects(w).values().stream().mapToLong(Long::longValue).sum();
    }

    static long snapshotObjects(World w) {
        return repositoryObjects(w).keySet().stream().filter(k -> k.startsWith(REPO_PREFIX + "snapshots/")).count();
    }

    /** Values moto recorded for a custom metric of the app's namespace (contract §7). */
    static List<Double> metric(World w, String name) {
        String ns = w.instanceEnv().getOrDefault("ZMANIM_METRICS_NAMESPACE", "Zmanim");
        List<Double> values = new ArrayList<>();
        w.moto().data().path("cloudwatch").path("MetricDatum").forEach(d -> {
            if (d.path("namespace").asText().equals(ns) && d.path("name").asText().equals(name)) {
                values.add(d.path("value").asDouble());
            }
        });
        return values;
    }

    /** Subjects of the e-mails moto's SES recorded as sent. */
    static List<String> mailSubjects(World w) {
        List<String> subjects = new ArrayList<>();
        w.moto().data().path("ses").path("Message").forEach(m -> subjects.add(m.path("subject").asText()));
        return subjects;
    }

    /** Waits until SES recorded {@code n} e-mails (the notify unit runs after the failed one). */
    static List<String> awaitMails(World w, int n, Duration timeout) {
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        List<String> subjects = mailSubjects(w);
        while (subjects.size() < n && java.time.Instant.now().isBefore(deadline)) {
            com.zmanim.rehearsal.Servers.sleep(300);
            subjects = mailSubjects(w);
        }
        return subjects;
    }

    /** A real API query (with the origin header CloudFront sends), from the host. */
    static HttpResponse<String> apiQuery(World w, Instance i, String pathAndQuery) throws IOException, InterruptedException {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                HttpRequest.newBuilder(URI.create(i.apiUrl() + pathAndQuery)).timeout(Duration.ofSeconds(10))
                        .header("X-Origin-Verify", w.secrets().get("origin-verify-secret")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** What a unit and the script it runs (its own syslog identifier, contract §8) logged this boot. */
    static String scriptLog(Instance i, String unit, String identifier) {
        return Steps.unitLog(i, unit) + i.exec("journalctl", "-b", "-t", identifier, "--no-pager", "-o", "cat").out();
    }

    static void assertUnitSucceeded(Instance i, String unit, Cmd.Result r) {
        String identifier = switch (unit) {
            case "restic-backup.service" -> "zmanim-backup";
            case "restic-check.service" -> "zmanim-restic-check";
            case "restore-drill.service" -> "zmanim-restore-drill";
            default -> "zmanim-restore";
        };
        assertThat(r.exit()).as("systemctl start %s: %s", unit, scriptLog(i, unit, identifier)).isZero();
        assertThat(i.exec("systemctl", "show", "-P", "Result", unit).out().strip()).as("%s result", unit)
                .isEqualTo("success");
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
