package com.zmanim.rehearsal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An instance's life as a container: {@code systemd-nspawn -b} on its root (systemd as PID 1), its
 * veth link on the rehearsal bridge, the data volume's loop device passed in; boots, clean stops,
 * power cuts, and commands run inside it.
 */
final class InstanceLifecycle {
  private static final Path OWN_CGROUP = Layout.fromEnvironment().ownCgroupScript();
  private final Instance.Spec spec;
  private final Path root;
  private final Path console;
  private Process nspawn;
  private long initPid;
  private Instant launchedAt;
  private int boots;

  InstanceLifecycle(Instance.Spec spec, Path root, Path console) {
    this.spec = spec;
    this.root = root;
    this.console = console;
  }

  /** Boots the container (returns once systemd runs as PID 1 inside). */
  void boot() {
    if (running()) {
      throw new IllegalStateException(spec.name() + " is already running");
    }
    boots++;
    List<String> argv =
        new ArrayList<>(
            List.of(
                OWN_CGROUP.toString(),
                spec.name(),
                "systemd-nspawn",
                "-b",
                "-D",
                root.toString(),
                "-M",
                spec.name(),
                "--register=no",
                "--keep-unit",
                "--network-bridge=" + spec.bridge(),
                "--console=read-only"));
    spec.volume().ifPresent(v -> argv.add("--bind=" + v.device()));
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
            .redirectInput(new File("/dev/null"));
    launchedAt = Instant.now();
    try {
      nspawn = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start systemd-nspawn", e);
    }
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (!nspawn.isAlive()) {
        throw new IllegalStateException(
            "systemd-nspawn exited (" + nspawn.exitValue() + ") at boot; see " + console);
      }
      // nspawn forks an outer child (itself a systemd-nspawn) that forks PID 1 of the container
      // and exits: the init is the child that lives in another PID namespace.
      Optional<ProcessHandle> init =
          nspawn.children().filter(InstanceLifecycle::inOwnPidNamespace).findFirst();
      if (init.isPresent()) {
        initPid = init.get().pid();
        return;
      }
      Servers.sleep(20);
    }
    throw new IllegalStateException(
        spec.name() + ": systemd did not start inside the container within 30 s");
  }

  private static boolean inOwnPidNamespace(ProcessHandle p) {
    try {
      return !Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "ns/pid"))
          .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")));
    } catch (IOException e) {
      return false; // gone already
    }
  }

  boolean running() {
    return nspawn != null && nspawn.isAlive();
  }

  Instant launchedAt() {
    return launchedAt;
  }

  int boots() {
    return boots;
  }

  /**
   * Runs a command inside the container (all its namespaces), as root, with a clean environment.
   */
  Cmd.Result exec(Duration timeout, String... cmd) {
    if (!running()) {
      throw new IllegalStateException(spec.name() + " is not running");
    }
    List<String> argv =
        new ArrayList<>(
            List.of(
                "nsenter",
                "-t",
                Long.toString(initPid),
                "-a",
                "--",
                "env",
                "-i",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "LANG=C.UTF-8"));
    argv.addAll(List.of(cmd));
    return Cmd.run(timeout, argv, Map.of(), null);
  }

  /** Clean shutdown (as `shutdown -h now` on the instance); waits for the container to exit. */
  void stop(Duration timeout) {
    exec(Duration.ofSeconds(20), "systemctl", "poweroff", "--no-block");
    awaitExit(timeout);
  }

  /** Abrupt loss of the instance (power cut): SIGKILL to its init ends the whole PID namespace. */
  void kill() {
    if (!running()) {
      return;
    }
    ProcessHandle.of(initPid).ifPresent(ProcessHandle::destroyForcibly);
    awaitExit(Duration.ofSeconds(30));
  }

  private void awaitExit(Duration timeout) {
    try {
      if (!nspawn.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessHandle.of(initPid).ifPresent(ProcessHandle::destroyForcibly);
        nspawn.waitFor(30, TimeUnit.SECONDS);
        throw new IllegalStateException(
            spec.name() + " did not stop within " + timeout + " (killed)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (nspawn.isAlive()) {
        nspawn.destroyForcibly();
      }
    }
  }

  /** PID 1 of the running instance, as the host sees it. */
  long initPid() {
    return initPid;
  }
}
