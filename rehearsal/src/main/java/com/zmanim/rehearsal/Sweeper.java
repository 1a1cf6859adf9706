package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Removes what an interrupted run (a killed JVM) left behind under the scratch folder: containers
 * rooted there, mounts, loop devices on volume files, the rehearsal's bridges. Also removes a
 * world's scratch tree once nothing is mounted in it.
 */
public final class Sweeper {
  private Sweeper() {}

  /**
   * Sweeps the scenario worlds' leftovers ({@code up} false) or rehearse-up's ({@code up} true),
   * and deletes {@code bridges}.
   */
  public static void sweep(Layout layout, boolean up, String... bridges) {
    String scratch = layout.scratch().toString();
    // rehearse-up's world lives in scratch/up and is swept only by rehearse-up (a scenario run
    // must not take down the instance a developer left up), scenario worlds in the rest.
    String upDir = scratch + "/up/";
    Predicate<String> ours =
        path ->
            up ? path.startsWith(upDir) : path.startsWith(scratch + "/") && !path.startsWith(upDir);
    killContainers(ours);
    for (String line :
        Cmd.run(Duration.ofSeconds(10), "findmnt", "-rn", "-o", "TARGET").out().split("\n")) {
      if (ours.test(line + "/")) {
        Cmd.run(Duration.ofSeconds(30), "umount", "-l", line);
      }
    }
    for (String line :
        Cmd.run(Duration.ofSeconds(10), "losetup", "-n", "-O", "NAME,BACK-FILE")
            .out()
            .split("\n")) {
      String[] f = line.strip().split("\\s+", 2);
      if (f.length == 2 && ours.test(f[1])) {
        Cmd.run(Duration.ofSeconds(30), "losetup", "-d", f[0]);
      }
    }
    for (String b : bridges) {
      Cmd.run(Duration.ofSeconds(10), "ip", "link", "del", b);
    }
  }

  /**
   * Containers whose root lies in the scratch folder (an interrupted run's instances): SIGKILL, by
   * PID, each process whose root is there (killing a container's init ends all of it).
   */
  private static void killContainers(Predicate<String> ours) {
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
        try {
          if (ours.test(Files.readSymbolicLink(p.resolve("root")) + "/")) {
            ProcessHandle.of(Long.parseLong(p.getFileName().toString()))
                .ifPresent(ProcessHandle::destroyForcibly);
          }
        } catch (IOException | RuntimeException ignored) {
          // gone, or not ours to read
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether anything is mounted at or under {@code dir}. */
  static boolean mountedUnder(Path dir) {
    return Cmd.run(Duration.ofSeconds(10), "findmnt", "-rn", "-o", "TARGET")
        .out()
        .contains(dir.toString());
  }

  /** An empty directory at {@code dir} (what was there deleted). */
  static void fresh(Path dir) {
    try {
      deleteTree(dir);
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a tree, never crossing into a mounted filesystem. */
  static void deleteTree(Path p) throws IOException {
    if (Files.exists(p)) {
      Cmd.run(Duration.ofMinutes(2), "rm", "-rf", "--one-file-system", p.toString()).check();
    }
  }
}
