package com.zmanim.rehearsal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One scenario's whole world, shared with no other: a bridge, moto (and its TLS front), the signal
 * recorder, the emulated account and its deploy of the compute stack, the emulated EBS, the
 * metadata mock, and the instances launched in it. {@link #close()} removes all of it, also after
 * failures.
 */
public final class World implements AutoCloseable {
  /** The compute stack, as the synthesized configuration names it. */
  public static final String STACK = Layout.fromEnvironment().computeStack();

  public static final String REGION = "eu-west-1";

  private final Layout layout;
  private final Image image;
  private final Progress progress;
  private final Path scratch;
  private final Path out;
  private final List<AutoCloseable> closers = new ArrayList<>();
  private final StandIns standIns;
  private final EmulatedAccount account;
  private final ComputeDeploy deploy;
  private final InstanceGroup group;

  public World(
      Layout layout,
      Image image,
      Progress progress,
      String name,
      String bridgeName,
      String prefix) {
    this.layout = layout;
    this.image = image;
    this.progress = progress;
    this.scratch = layout.scratch().resolve(name);
    this.out = layout.out().resolve(name);
    Sweeper.fresh(out);
    // A fresh world: nothing of an interrupted run's instances (their upper layers hold that
    // run's instance.env and cloud-init state) may leak in. The sweep unmounted them.
    Sweeper.fresh(scratch);
    closers.add(this::removeScratch);
    long t0 = System.nanoTime();
    try {
      standIns = keep(new StandIns(layout, progress, bridgeName, prefix, REGION, scratch, out));
      account = keep(new EmulatedAccount(standIns.moto().endpoint(), REGION, REGION + "a"));
      deploy = keep(new ComputeDeploy(layout, REGION, account, this::instances, scratch, out));
      group = new InstanceGroup(image, progress, standIns, account, deploy, scratch, out);
      progress.say(
          String.format(
              "  user data rendered, resources created in moto (%.1f s)",
              (System.nanoTime() - t0) / 1e9));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private <T extends AutoCloseable> T keep(T c) {
    closers.add(c);
    return c;
  }

  public Progress progress() {
    return progress;
  }

  /** The image this world's instances boot (a fleet of profile ha launches from it too). */
  public Image image() {
    return image;
  }

  public Layout layout() {
    return layout;
  }

  /** This world's own scratch folder (removed when the world closes). */
  public Path scratch() {
    return scratch;
  }

  /** The name of this world's bridge (instances join it). */
  public String bridgeName() {
    return standIns.bridge().name();
  }

  public Path out() {
    return out;
  }

  /**
   * moto itself (its own record of what happened: {@link Moto#data()}); its AWS APIs: {@link
   * #account()}.
   */
  public Moto moto() {
    return standIns.moto();
  }

  /** HTTPS in front of moto's S3 (pgBackRest's repository endpoint); pause it to cut S3 off. */
  public S3TlsFront s3Tls() {
    return standIns.s3Tls();
  }

  /** The bridge's host address, where the stand-ins for AWS listen. */
  public String hostAddress() {
    return standIns.bridge().hostAddress();
  }

  /** The emulated AWS account: typed SDK clients on moto, the resources created, seeding. */
  public EmulatedAccount account() {
    return account;
  }

  public CfnSignalRecorder signals() {
    return standIns.signals();
  }

  /**
   * Waits until the recorder holds at least {@code n} signals; see {@link CfnSignalRecorder#await}.
   */
  public List<CfnSignalRecorder.Signal> awaitSignals(int n, Duration timeout) {
    return signals().await(n, timeout);
  }

  /**
   * The compute stack as deployed now: its rendered user data and the ids and names handed to it.
   */
  public Deployment deployment() {
    return deploy.deployment();
  }

  public String ssmName(String secret) {
    return deployment().ssmName(secret);
  }

  /**
   * The secret values the world puts into SSM before a launch (a scenario may remove or blank one).
   */
  public Map<String, String> secrets() {
    return group.secrets();
  }

  public String volumeId() {
    return deployment().dataVolumeId();
  }

  /** The data volume (created on first use, 4 GiB sparse). */
  public Volume volume() {
    return deploy.ebs().volume();
  }

  /**
   * Destroys the data volume (loop device and file, every byte gone) and puts a blank one of the
   * same size in its place under the same volume id: the stand-in for a lost volume replaced by a
   * new, empty one. No running instance may use it.
   */
  public Volume replaceVolume() {
    deploy.ebs().discard();
    return deploy.ebs().volume();
  }

  /**
   * Extra lines for /etc/zmanim/endpoints.env, for rehearsal-only settings such as a shorter attach
   * timeout; each scenario using one says so.
   */
  public Map<String, String> endpointsExtra() {
    return group.endpointsExtra();
  }

  /** Whether the emulated EBS makes the volume appear once the boot logic attached it. */
  public void attachWatcher(boolean on) {
    deploy.ebs().watch(on);
  }

  /**
   * Launches a new instance (a fresh copy of the image) with the deploy's user data, and boots it.
   */
  public Instance launch() {
    return group.launch();
  }

  /**
   * A deploy of the compute stack with other configuration (CDK context, e.g. a new
   * dataVolumeGeneration), as {@link ComputeDeploy#redeploy} describes. No instance may run (the
   * group replaces it).
   */
  public void redeploy(String contextJson) {
    long t0 = System.nanoTime();
    deploy.redeploy(contextJson);
    progress.say(
        String.format(
            "  deployed with %s: data volume %s (%.1f s)",
            contextJson, volumeId(), (System.nanoTime() - t0) / 1e9));
  }

  /** Boots an instance that was stopped, on the same root (a reboot). */
  public void reboot(Instance instance) {
    group.reboot(instance);
  }

  /** Stops an instance cleanly and terminates its record (as the ASG replaces it). */
  public void terminate(Instance instance) {
    group.terminate(instance);
  }

  public List<Instance> instances() {
    return group == null ? List.of() : group.instances();
  }

  /** Saves every running instance's logs (for a failed case). */
  public void saveLogs() {
    instances().forEach(Instance::saveLogs);
  }

  @Override
  public void close() {
    if (deploy != null) {
      deploy.ebs().watch(false);
    }
    List<AutoCloseable> all = new ArrayList<>(closers);
    all.addAll(instances());
    Cleanup.closeAll("world " + out.getFileName(), all);
  }

  /** The world's scratch tree, once nothing is mounted in it any more. */
  private void removeScratch() throws IOException {
    if (Sweeper.mountedUnder(scratch)) {
      throw new IllegalStateException("something is still mounted under " + scratch);
    }
    Sweeper.deleteTree(scratch);
  }
}
