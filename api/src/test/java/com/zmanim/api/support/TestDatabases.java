package com.zmanim.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL + PostGIS and a real Redis for the tests, started once per test JVM on loopback
 * on free ports in a temp directory, and stopped by a shutdown hook. The database is prepared as
 * the boot logic prepares it on the instance (architecture.md §4): role {@code zmanim} (not
 * superuser, with a password), database {@code zmanim} owned by it, extension postgis created by
 * postgres. The API's own migrations then run as {@code zmanim}. Missing binaries fail loudly:
 * install them with {@code make setup} (scripts/debian-packages.txt). PostgreSQL refuses to run as
 * root, so as root its commands run as user postgres through runuser.
 */
public final class TestDatabases {
  private static TestDatabases instance;

  public final int postgresPort;
  public final String databasePassword;
  public final int redisPort;
  public final String redisPassword;
  private final Path dir;
  private final Path pgBin;
  private final Process redis;

  private TestDatabases() throws IOException, InterruptedException {
    pgBin = postgresBinaries();
    Path redisServer = Path.of("/usr/bin/redis-server");
    if (!Files.isExecutable(redisServer)) {
      throw new IllegalStateException(
          "redis-server not found at "
              + redisServer
              + ": run `make setup` (Debian package redis-server)");
    }
    dir = Files.createTempDirectory("zmanim-api-test-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    databasePassword = randomSecret();
    redisPassword = randomSecret();
    postgresPort = freePort();
    redisPort = freePort();
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, "test-databases-stop"));
    startPostgres();
    redis = startRedis(redisServer);
  }

  /** The shared instance, started on first use. */
  public static synchronized TestDatabases get() {
    if (instance == null) {
      try {
        instance = new TestDatabases();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return instance;
  }

  /** The environment the API would get from /opt/zmanim/config.env, pointing at these servers. */
  public Map<String, String> environment() {
    return Map.of(
        "HOST", "127.0.0.1",
        "PORT", "0",
        "DATABASE_URL",
            "postgresql://zmanim:" + databasePassword + "@127.0.0.1:" + postgresPort + "/zmanim",
        "REDIS_URL", "redis://:" + redisPassword + "@127.0.0.1:" + redisPort + "/0",
        "ENVIRONMENT", "test",
        "ALLOWED_ORIGINS", "https://zmanim.example");
  }

  /**
   * Runs SQL as the superuser postgres in database {@code db} (through the Unix socket, SQL on
   * stdin).
   */
  public String psqlAsPostgres(String db, String sql) throws IOException, InterruptedException {
    return run(
        asPostgres(
            List.of(
                pgBin.resolve("psql").toString(),
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                dir.resolve("sock").toString(),
                "-p",
                Integer.toString(postgresPort),
                "-U",
                "postgres",
                "-d",
                db)),
        sql);
  }

  private void startPostgres() throws IOException, InterruptedException {
    Path data = dir.resolve("pgdata");
    Path sock = dir.resolve("sock");
    Files.createDirectories(sock);
    if (isRoot()) {
      run(List.of("chown", "postgres:postgres", sock.toString()), null);
      run(List.of("chown", "postgres:postgres", dir.toString()), null);
    }
    run(
        asPostgres(
            List.of(
                pgBin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync")),
        null);
    // scram-sha-256 over TCP, as on the instance; trust only on this private Unix socket.
    Files.writeString(
        data.resolve("pg_hba.conf"),
        "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n");
    run(
        asPostgres(
            List.of(
                pgBin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                dir.resolve("postgres.log").toString(),
                "-o",
                "-p "
                    + postgresPort
                    + " -k "
                    + sock
                    + " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
                "-w",
                "start")),
        null);
    psqlAsPostgres(
        "postgres",
        "CREATE ROLE zmanim LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '"
            + databasePassword
            + "';\n"
            + "CREATE DATABASE zmanim OWNER zmanim;\n");
    psqlAsPostgres("zmanim", "CREATE EXTENSION postgis;\n");
  }

  private Process startRedis(Path redisServer) throws IOException, InterruptedException {
    Path conf = dir.resolve("redis.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "port " + redisPort,
            "bind 127.0.0.1",
            "protected-mode yes",
            "daemonize no",
            "save \"\"",
            "appendonly no",
            "dir " + dir,
            "requirepass " + redisPassword,
            "logfile " + dir.resolve("redis.log"),
            ""));
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    Process p =
        new ProcessBuilder(redisServer.toString(), conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.out").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (var socket = new java.net.Socket("127.0.0.1", redisPort)) {
        return p;
      } catch (IOException notYet) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "redis-server exited: " + Files.readString(dir.resolve("redis.out")));
        }
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + redisPort + " within 10 s");
  }

  private void stopQuietly() {
    try {
      if (redis != null) {
        redis.destroy();
        redis.waitFor(5, TimeUnit.SECONDS);
      }
      run(
          asPostgres(
              List.of(
                  pgBin.resolve("pg_ctl").toString(),
                  "-D",
                  dir.resolve("pgdata").toString(),
                  "-m",
                  "immediate",
                  "-w",
                  "stop")),
          null);
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    } catch (Exception e) {
      System.err.println("test databases: stop failed: " + e);
    }
  }

  private static Path postgresBinaries() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        var newest =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                .max(
                    Comparator.comparingInt(
                        v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))));
        if (newest.isPresent()) {
          Path bin = newest.get().resolve("bin");
          Path postgis =
              Path.of(
                  "/usr/share/postgresql",
                  newest.get().getFileName().toString(),
                  "extension/postgis.control");
          if (!Files.exists(postgis)) {
            throw new IllegalStateException(
                "PostGIS not installed for PostgreSQL "
                    + newest.get().getFileName()
                    + " ("
                    + postgis
                    + " missing): run `make setup` (Debian package postgresql-NN-postgis-3)");
          }
          return bin;
        }
      }
    }
    throw new IllegalStateException(
        "PostgreSQL not found under /usr/lib/postgresql: run `make setup` (Debian package postgresql)");
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> asPostgres(List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private String run(List<String> command, String stdin) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "command failed: "
              + command.get(command.size() > 4 && command.get(0).equals("runuser") ? 4 : 0)
              + ": "
              + out);
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String randomSecret() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
