package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The data volume: a sparse file on a loop device, the rehearsal's EBS volume. It outlives the
 * instances that use it (reboots, AMI upgrades) and is destroyed with its rehearsal world.
 */
public final class Volume implements AutoCloseable {
  private final Path file;
  private final String device;

  public Volume(Path file, long sizeBytes) {
    this.file = file;
    try {
      Files.deleteIfExists(file);
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.setLength(sizeBytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the volume file " + file, e);
    }
    Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "losetup", "--find", "--show", file.toString());
    if (!r.ok()) {
      throw new IllegalStateException(
          "no loop device for the data volume (losetup: "
              + r.err().strip()
              + "): the rehearsal needs root and loop devices (modprobe loop)");
    }
    this.device = r.out().strip();
  }

  /** The loop device, e.g. /dev/loop3. */
  public String device() {
    return device;
  }

  public Path file() {
    return file;
  }

  /** Runs a command on the host against the volume's device (mkfs, blkid...). */
  public Cmd.Result host(String... argv) {
    return Cmd.run(Duration.ofMinutes(2), argv);
  }

  @Override
  public void close() {
    Cmd.run(Duration.ofSeconds(30), "losetup", "-d", device);
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the scratch folder is removed with the world
    }
  }
}
