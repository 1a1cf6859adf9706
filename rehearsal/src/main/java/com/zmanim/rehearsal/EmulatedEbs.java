package com.zmanim.rehearsal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The emulated EBS: the data volume (a sparse file on a loop device) and the watcher that plays
 * AWS's part of an attachment: once moto records the volume attached to a running instance, the
 * device appears in it (the by-id link AWS's udev rules make), once per boot. Every event, a moto
 * that does not answer included, goes to {@code ebs.log}.
 */
public final class EmulatedEbs implements AutoCloseable {
  private static final long SIZE = 4L << 30;

  /**
   * The NVMe model an EBS volume reports on Nitro; its serial is the volume id without the dash.
   */
  private static final String NVME_MODEL = "Amazon Elastic Block Store";

  private final EmulatedAccount account;
  private final Supplier<String> volumeId;
  private final Supplier<List<Instance>> instances;
  private final Path file;
  private final Path log;
  private final Map<String, Integer> linkedBoot = new ConcurrentHashMap<>();
  private volatile boolean watching = true;
  private Volume volume;
  private Thread watcher;

  /**
   * @param volumeId the id of the volume the deploy names now (it changes with a redeploy)
   * @param instances the world's instances
   * @param file where the volume's file lives
   * @param log the event log
   */
  public EmulatedEbs(
      EmulatedAccount account,
      Supplier<String> volumeId,
      Supplier<List<Instance>> instances,
      Path file,
      Path log) {
    this.account = account;
    this.volumeId = volumeId;
    this.instances = instances;
    this.file = file;
    this.log = log;
  }

  /** The data volume (created on first use, 4 GiB sparse). */
  public synchronized Volume volume() {
    if (volume == null) {
      volume = new Volume(file, SIZE);
    }
    return volume;
  }

  /**
   * Destroys the volume's device and every byte on it; the next {@link #volume()} is a blank one (a
   * lost volume replaced, or a new volume resource). No running instance may use it.
   */
  public synchronized void discard() {
    if (instances.get().stream().anyMatch(Instance::running)) {
      throw new IllegalStateException("the data volume cannot be replaced while an instance runs");
    }
    if (volume != null) {
      volume.close();
      volume = null;
    }
    linkedBoot.clear();
  }

  /** Whether the device appears once the boot logic attached the volume (off: it never appears). */
  public void watch(boolean on) {
    this.watching = on;
  }

  /** Starts the watcher (once). */
  public synchronized void start() {
    if (watcher == null) {
      watcher = Thread.ofPlatform().daemon().name("ebs-attach-watcher").start(this::watchLoop);
    }
  }

  private void watchLoop() {
    String last = "";
    while (!Thread.currentThread().isInterrupted()) {
      String event = "";
      try {
        if (watching) {
          event = poll();
        }
      } catch (RuntimeException e) {
        event += "error: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      }
      if (!event.equals(last)) {
        record(event);
        last = event;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One look at moto; links the device into the instance it names, once per boot. */
  private String poll() {
    String id = volumeId.get();
    Optional<String> to = account.attachedTo(id);
    String event = "moto: " + id + " attached to " + to.orElse("nothing");
    for (Instance i : instances.get()) {
      if (i.running()
          && to.filter(i.spec().instanceId()::equals).isPresent()
          && linkedBoot.getOrDefault(i.name(), -1) != i.boots()) {
        link(i, id);
        linkedBoot.put(i.name(), i.boots());
        event += "; device link made in " + i.name() + " (boot " + i.boots() + ")";
      }
    }
    return event;
  }

  /**
   * What udev's persistent-storage rules make of the NVMe device AWS attaches: the link {@code
   * /dev/disk/by-id/nvme-<model>_<serial>}, spaces as underscores; here to the loop device.
   */
  private void link(Instance i, String volumeId) {
    String link =
        "/dev/disk/by-id/nvme-" + NVME_MODEL.replace(' ', '_') + "_" + volumeId.replace("-", "");
    i.exec("sh", "-c", "mkdir -p /dev/disk/by-id && ln -sfn " + volume().device() + " " + link)
        .check();
  }

  private void record(String event) {
    try {
      Files.writeString(
          log,
          Instant.now() + " " + event + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // the log is for humans
    }
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.interrupt();
    }
    if (volume != null) {
      volume.close();
      volume = null;
    }
  }
}
