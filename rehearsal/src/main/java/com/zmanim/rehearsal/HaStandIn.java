package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The STAND-IN for profile ha's managed services, named as such everywhere it appears: one
 * container from the same image (so PostgreSQL 17 + PostGIS and Redis come from the same packages),
 * started without instance.env (the image's boot does not run) and set up by the harness as
 *
 * <ul>
 *   <li>"Aurora": PostgreSQL 17 on the bridge, TLS only ({@code hostssl} lines alone, as {@code
 *       rds.force_ssl}), an administrator {@value #ADMIN_USER} with a password the harness also
 *       puts into moto's Secrets Manager as the RDS-managed secret. Unlike Aurora's administrator
 *       (rds_superuser) it is a superuser: vanilla PostgreSQL has no role that may create PostGIS
 *       without being one;
 *   <li>"ElastiCache": Redis with TLS only (no plain port) and AUTH = the redis-password secret.
 * </ul>
 *
 * Its certificate is issued by an authority of its own (openssl, in the world's scratch folder);
 * the API instances trust it as they trust Amazon's (system and Java bundles).
 */
public final class HaStandIn implements AutoCloseable {
  public static final int DB_PORT = 5432;
  public static final int CACHE_PORT = 6379;
  public static final String ADMIN_USER = "zmanim_admin";
  private static final String ETC = "etc/zmanim-standin/";

  private final Instance container;
  private final String caPem;

  /**
   * Creates and boots the stand-in, waits until both servers answer over TLS.
   *
   * @param adminPassword the administrator's password (in a 0600 file inside, never in argv)
   * @param cachePassword Redis' AUTH token (likewise)
   */
  public HaStandIn(
      Image image,
      String machine,
      String address,
      String bridge,
      Path scratch,
      Path logDir,
      String adminPassword,
      String cachePassword) {
    Path tls = scratch.resolve("standin-tls");
    try {
      Files.createDirectories(tls);
      Certificates.make(tls, address);
      caPem = Files.readString(tls.resolve("ca.pem"));
      container =
          new Instance(
              image,
              new Instance.Spec(
                  machine,
                  "i-standin",
                  address,
                  bridge,
                  "",
                  "# the stand-in for Aurora and ElastiCache runs no zmanim boot\n",
                  Optional.empty()),
              scratch,
              logDir);
      container.writeFile(ETC + "ca.pem", caPem, "644");
      container.writeFile(ETC + "server.pem", Files.readString(tls.resolve("server.pem")), "644");
      container.writeFile(ETC + "server.key", Files.readString(tls.resolve("server.key")), "600");
      container.writeFile(ETC + "admin-password", adminPassword, "600");
      container.writeFile(ETC + "redis-auth.conf", "requirepass " + cachePassword + "\n", "600");
      container.writeFile("usr/local/sbin/rehearsal-standin", setupScript(), "755");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      container.boot();
      container.awaitBootFinished(Duration.ofSeconds(60));
      container.exec(Duration.ofSeconds(120), "/usr/local/sbin/rehearsal-standin", address).check();
    } catch (RuntimeException e) {
      container.saveLogs();
      container.close();
      throw e;
    }
  }

  /** What the stand-in runs once, as root, inside: the two servers, TLS only. */
  private static String setupScript() {
    return """
                #!/usr/bin/env bash
                # Rehearsal only: the stand-in for Aurora and ElastiCache (rehearsal/README.md). Run once by
                # the harness, as root, inside the stand-in container; argument: its address on the bridge.
                # Touches /var/lib/zmanim-standin only. Passwords come from 0600 files, on stdin to psql.
                set -euo pipefail
                addr="$1"
                d=/var/lib/zmanim-standin
                src=/etc/zmanim-standin
                install -d -m 0755 "$d"
                install -d -m 0700 -o postgres -g postgres "$d/pg" "$d/pg-tls" "$d/pg-log"
                install -d -m 0750 -o redis -g redis "$d/redis"
                install -m 0600 -o postgres -g postgres "$src/server.key" "$d/pg-tls/server.key"
                install -m 0644 -o postgres -g postgres "$src/server.pem" "$d/pg-tls/server.pem"
                install -m 0600 -o redis -g redis "$src/server.key" "$d/redis/server.key"
                install -m 0644 -o redis -g redis "$src/server.pem" "$d/redis/server.pem"
                install -m 0644 -o redis -g redis "$src/ca.pem" "$d/redis/ca.pem"
                install -m 0600 -o redis -g redis "$src/redis-auth.conf" "$d/redis/auth.conf"
                runuser -u postgres -- /usr/lib/postgresql/17/bin/initdb -D "$d/pg" -U postgres -E UTF8 \\
                  --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 >/dev/null
                # Aurora with rds.force_ssl: TLS or nothing over the network.
                printf 'local all postgres peer\\nhostssl all all 0.0.0.0/0 scram-sha-256\\n' >"$d/pg/pg_hba.conf"
                cat >>"$d/pg/postgresql.conf" <<CONF
                listen_addresses = '$addr'
                ssl = on
                ssl_cert_file = '$d/pg-tls/server.pem'
                ssl_key_file = '$d/pg-tls/server.key'
                unix_socket_directories = '/run/postgresql'
                CONF
                install -d -m 2775 -o postgres -g postgres /run/postgresql
                runuser -u postgres -- /usr/lib/postgresql/17/bin/pg_ctl -D "$d/pg" -l "$d/pg-log/server.log" -w start >/dev/null
                # The harness's password has no single quote (it holds ':' and '\\' on purpose: .pgpass escaping).
                pw="$(cat "$src/admin-password")"
                runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<SQL
                SET log_statement = 'none';
                CREATE ROLE zmanim_admin LOGIN SUPERUSER PASSWORD '$pw';
                SQL
                # ElastiCache with encryption in transit: TLS only, AUTH required.
                cat >"$d/redis/redis.conf" <<CONF
                bind $addr
                port 0
                tls-port 6379
                tls-cert-file $d/redis/server.pem
                tls-key-file $d/redis/server.key
                tls-ca-cert-file $d/redis/ca.pem
                tls-auth-clients no
                protected-mode no
                dir $d/redis
                save ""
                daemonize yes
                pidfile $d/redis/redis.pid
                logfile $d/redis/redis.log
                include $d/redis/auth.conf
                CONF
                chown redis:redis "$d/redis/redis.conf"
                runuser -u redis -- redis-server "$d/redis/redis.conf"
                for _ in $(seq 50); do
                  if REDISCLI_AUTH="$(sed -n 's/^requirepass //p' "$d/redis/auth.conf")" redis-cli --tls \\
                    --cacert "$d/redis/ca.pem" -h "$addr" -p 6379 ping 2>/dev/null | grep -q PONG; then
                    exit 0
                  fi
                  sleep 0.2
                done
                echo "the stand-in's Redis did not answer PING over TLS" >&2
                exit 1
                """;
  }

  /** The address both "endpoints" have. */
  public String address() {
    return container.spec().address();
  }

  /** The authority that issued the stand-in's certificate (PEM). */
  public String caPem() {
    return caPem;
  }

  /** The container (SQL as postgres over its socket: {@code standIn().psql(db, sql)}). */
  public Instance container() {
    return container;
  }

  /** A query as postgres in the stand-in's database {@code db}; tuples only. */
  public String psql(String db, String sql) {
    return container.psql(db, sql);
  }

  /** How many keys the stand-in's Redis holds (asked over TLS with its AUTH token). */
  public int cacheKeys() {
    String out =
        container
            .sh(
                "REDISCLI_AUTH=\"$(sed -n 's/^requirepass //p' /var/lib/zmanim-standin/redis/auth.conf)\""
                    + " redis-cli --tls --cacert /etc/zmanim-standin/ca.pem -h "
                    + address()
                    + " -p "
                    + CACHE_PORT
                    + " dbsize")
            .check()
            .out()
            .strip();
    return Integer.parseInt(out);
  }

  @Override
  public void close() {
    container.close();
  }
}
