package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One instance: its root filesystem and platform files ({@link InstanceFiles}), its life as a
 * container ({@link InstanceLifecycle}), its API as the host reaches it ({@link ApiClient}) and SQL
 * inside it ({@link Psql}). Scenarios talk to this class; the parts do the work.
 */
public final class Instance implements AutoCloseable {
  /** What the harness gives an instance at launch. */
  public record Spec(
      String name,
      String instanceId,
      String address,
      String bridge,
      String userData,
      String endpointsEnv,
      Optional<Volume> volume) {}

  private final Spec spec;
  private final Path logDir;
  private final InstanceFiles files;
  private final InstanceLifecycle life;
  private final ApiClient api = new ApiClient(this);
  private final Psql psql = new Psql(this);

  /**
   * Creates the instance's root (overlay on {@code image}) with its platform files; does not boot
   * it.
   */
  public Instance(Image image, Spec spec, Path scratch, Path logDir) {
    this.spec = spec;
    this.logDir = logDir;
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    this.files = new InstanceFiles(image, scratch.resolve(spec.name()));
    files.writePlatformFiles(spec);
    this.life = new InstanceLifecycle(spec, files.root(), logDir.resolve("console.log"));
  }

  public Spec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  /** The instance's root as the host sees it (for files the scenarios inspect or plant). */
  public Path root() {
    return files.root();
  }

  public Path logDir() {
    return logDir;
  }

  /** Its API, from the host. */
  public ApiClient api() {
    return api;
  }

  /** Writes a file into the instance's root (its upper layer), e.g. what the platform provides. */
  public void writeFile(String rel, String content, String mode) {
    files.write(rel, content, mode);
  }

  /** Boots the instance (returns once systemd runs as PID 1 inside). */
  public void boot() {
    life.boot();
  }

  public boolean running() {
    return life.running();
  }

  public Instant launchedAt() {
    return life.launchedAt();
  }

  public int boots() {
    return life.boots();
  }

  /** The instance's PID 1 as the host sees it (for nsenter by a host-side helper script). */
  public long initPid() {
    return life.initPid();
  }

  /** Runs a command inside the instance (all its namespaces), as root, with a clean environment. */
  public Cmd.Result exec(Duration timeout, String... cmd) {
    return life.exec(timeout, cmd);
  }

  public Cmd.Result exec(String... cmd) {
    return exec(Duration.ofSeconds(60), cmd);
  }

  /** Runs a bash snippet inside the instance. */
  public Cmd.Result sh(String script) {
    return exec(Duration.ofSeconds(120), "bash", "-c", script);
  }

  /** SQL inside the instance (queries, scripts, as postgres or another role). */
  public Psql sql() {
    return psql;
  }

  /** A SQL query as postgres via the local socket; tuples only, unaligned. */
  public String psql(String db, String sql) {
    return psql.query(db, sql);
  }

  /** GET on the instance's API from the host, with optional header name/value pairs. */
  public HttpResponse<String> http(String path, String... headers)
      throws IOException, InterruptedException {
    return api.get(path, headers);
  }

  public String apiUrl() {
    return api.url();
  }

  /**
   * The API's port: what the user data wrote into this instance's instance.env (ZMANIM_API_PORT,
   * config apiPort), read from its root as the boot logic reads it.
   */
  public int apiPort() {
    Path env = root().resolve("etc/zmanim/instance.env");
    try {
      for (String line : Files.readAllLines(env)) {
        if (line.startsWith("ZMANIM_API_PORT=")) {
          return Integer.parseInt(line.substring("ZMANIM_API_PORT=".length()).strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + env + " (user data has not run?)", e);
    }
    throw new IllegalStateException(
        env + " has no ZMANIM_API_PORT: the user data did not write it");
  }

  public int healthStatus() {
    return api.healthStatus();
  }

  /** Waits for {@code GET /health} 200 from the host (see {@link ApiClient#awaitHealthy}). */
  public Instant awaitHealthy(Duration timeout) {
    return api.awaitHealthy(timeout);
  }

  /**
   * Waits until systemd inside reports the boot finished (running, degraded...); returns its state.
   */
  public String awaitBootFinished(Duration timeout) {
    return exec(timeout, "systemctl", "is-system-running", "--wait").out().strip();
  }

  /** Saves the journal and unit states into the instance's log folder (for failed cases). */
  public void saveLogs() {
    if (!running()) {
      return;
    }
    try {
      Files.writeString(
          logDir.resolve("journal-boot" + boots() + ".txt"),
          exec(Duration.ofSeconds(30), "journalctl", "-b", "--no-pager", "-o", "short-monotonic")
              .out());
      Files.writeString(
          logDir.resolve("units-boot" + boots() + ".txt"),
          exec(Duration.ofSeconds(30), "systemctl", "list-units", "--all", "--no-pager").out());
    } catch (IOException | RuntimeException e) {
      // best effort: logs are for humans
    }
  }

  /** Clean shutdown (as `shutdown -h now` on the instance), its logs saved first. */
  public void stop(Duration timeout) {
    if (!running()) {
      return;
    }
    saveLogs();
    life.stop(timeout);
  }

  /** Abrupt loss of the instance (power cut). */
  public void kill() {
    life.kill();
  }

  /** Kills the instance if running and removes its root (unmounts the overlay). */
  @Override
  public void close() {
    try {
      kill();
    } finally {
      files.close();
    }
  }
}
