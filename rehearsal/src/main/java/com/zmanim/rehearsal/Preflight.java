package com.zmanim.rehearsal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fails with one clear message when the machine cannot run the rehearsal (root, loop, nspawn...).
 */
public final class Preflight {
  private Preflight() {}

  public static void check(Layout layout) {
    List<String> missing = new ArrayList<>();
    if (!"0".equals(Cmd.run(Duration.ofSeconds(5), "id", "-u").out().strip())) {
      missing.add("root (the rehearsal mounts, makes loop devices and boots containers)");
    }
    for (String tool :
        List.of(
            "systemd-nspawn",
            "debootstrap",
            "losetup",
            "nsenter",
            "ip",
            "mkfs.xfs",
            "mkfs.ext4",
            "blkid")) {
      if (!Cmd.run(Duration.ofSeconds(5), "sh", "-c", "command -v " + tool).ok()) {
        missing.add(tool + " (make setup installs it from scripts/debian-packages.txt)");
      }
    }
    if (!Files.exists(Path.of("/dev/loop-control"))) {
      missing.add("loop devices (/dev/loop-control; try `modprobe loop`)");
    }
    if (!Cmd.run(Duration.ofSeconds(5), "grep", "-qw", "overlay", "/proc/filesystems").ok()) {
      missing.add("overlayfs (`modprobe overlay`)");
    }
    for (String tool : List.of("moto_server", "aws", "ec2-metadata-mock")) {
      if (!Files.isExecutable(layout.tools().resolve("bin").resolve(tool))) {
        missing.add(tool + " in " + layout.tools().resolve("bin") + " (run `make setup`)");
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "the rehearsal cannot run on this machine; missing:\n  - "
              + String.join("\n  - ", missing)
              + "\n(REHEARSAL_SKIP=1 skips it explicitly; CI never sets it)");
    }
  }
}
