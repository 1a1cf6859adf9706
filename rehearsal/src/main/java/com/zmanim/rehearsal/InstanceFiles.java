package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * An instance's root filesystem: an overlay of the image's root (a fresh upper layer is a new
 * instance from the same image, the same upper layer booted again is a reboot), and the
 * per-instance "platform" files AWS would provide, written into the upper layer: the cloud-init
 * NoCloud seed holding the user data, the endpoints file (contract §2) and the instance's network
 * address on the rehearsal bridge.
 */
final class InstanceFiles implements AutoCloseable {
  private final Path merged;

  /** Mounts the overlay of {@code image} at {@code dir}/root (upper and work layers beside it). */
  InstanceFiles(Image image, Path dir) {
    this.merged = dir.resolve("root");
    try {
      Files.createDirectories(dir.resolve("upper"));
      Files.createDirectories(dir.resolve("work"));
      Files.createDirectories(merged);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Cmd.ok(
        Duration.ofSeconds(30),
        "mount",
        "-t",
        "overlay",
        "overlay",
        "-o",
        "lowerdir="
            + image.rootfs()
            + ",upperdir="
            + dir.resolve("upper")
            + ",workdir="
            + dir.resolve("work"),
        merged.toString());
  }

  /** The root as the host sees it. */
  Path root() {
    return merged;
  }

  /** What the platform gives this instance at launch (see the class comment). */
  void writePlatformFiles(Instance.Spec spec) {
    write(
        "etc/cloud/cloud.cfg.d/99-rehearsal.cfg",
        """
                # Rehearsal: the instance's user data comes from a NoCloud seed (on AWS: the Ec2 datasource).
                datasource_list: [ NoCloud, None ]
                network: {config: disabled}
                ssh_genkeytypes: []
                """,
        "644");
    write(
        "var/lib/cloud/seed/nocloud/meta-data",
        "instance-id: " + spec.instanceId() + "\nlocal-hostname: " + spec.name() + "\n",
        "600");
    write("var/lib/cloud/seed/nocloud/user-data", spec.userData(), "600");
    write("etc/zmanim/endpoints.env", spec.endpointsEnv(), "644");
    write(
        "etc/systemd/system/rehearsal-network.service",
        """
                [Unit]
                Description=Rehearsal: this instance's address on the rehearsal bridge (stands in for the VPC)
                Documentation=file:///work/rehearsal/README.md
                DefaultDependencies=no
                # before anything that talks to the (emulated) AWS endpoints
                Before=network-pre.target network.target network-online.target cloud-init-local.service
                Wants=network-pre.target

                [Service]
                Type=oneshot
                RemainAfterExit=yes
                ExecStart=ip link set host0 up
                ExecStart=ip addr replace %s/24 dev host0

                [Install]
                WantedBy=sysinit.target
                """
            .formatted(spec.address()),
        "644");
    try {
      Path wants = merged.resolve("etc/systemd/system/sysinit.target.wants");
      Files.createDirectories(wants);
      Path link = wants.resolve("rehearsal-network.service");
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, Path.of("/etc/systemd/system/rehearsal-network.service"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a file into the root (its upper layer) with an octal mode such as "644". */
  void write(String rel, String content, String mode) {
    Path p = merged.resolve(rel);
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(rwx(mode)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p, e);
    }
  }

  private static String rwx(String octal) {
    StringBuilder sb = new StringBuilder();
    for (char c : octal.toCharArray()) {
      int d = c - '0';
      sb.append((d & 4) != 0 ? 'r' : '-')
          .append((d & 2) != 0 ? 'w' : '-')
          .append((d & 1) != 0 ? 'x' : '-');
    }
    return sb.toString();
  }

  /** Unmounts the overlay (lazily if it is still busy). */
  @Override
  public void close() {
    Cmd.run(Duration.ofSeconds(30), "umount", merged.toString());
    if (Cmd.run(Duration.ofSeconds(5), "mountpoint", "-q", merged.toString()).ok()) {
      Cmd.run(Duration.ofSeconds(30), "umount", "-l", merged.toString());
    }
  }
}
