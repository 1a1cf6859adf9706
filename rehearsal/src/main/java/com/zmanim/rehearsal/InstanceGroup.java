package com.zmanim.rehearsal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stand-in for the compute stack's Auto Scaling group in one world: it launches instances of
 * the image with the deploy's user data (the secrets put into SSM first, the instance record in
 * moto, the metadata mock answering as it, a fresh root trusting the stand-ins), reboots them, and
 * terminates them as the group replaces one.
 */
final class InstanceGroup {
  private static final AtomicInteger MACHINES = new AtomicInteger();

  private final Image image;
  private final Progress progress;
  private final StandIns standIns;
  private final EmulatedAccount account;
  private final ComputeDeploy deploy;
  private final Path scratch;
  private final Path out;
  private final List<Instance> instances = Collections.synchronizedList(new ArrayList<>());
  private final Secrets secrets = new Secrets();
  private final Map<String, String> endpointsExtra = new LinkedHashMap<>();

  InstanceGroup(
      Image image,
      Progress progress,
      StandIns standIns,
      EmulatedAccount account,
      ComputeDeploy deploy,
      Path scratch,
      Path out) {
    this.image = image;
    this.progress = progress;
    this.standIns = standIns;
    this.account = account;
    this.deploy = deploy;
    this.scratch = scratch;
    this.out = out;
  }

  /** Name → value of the secrets put into SSM before a launch; see {@link World#secrets()}. */
  Map<String, String> secrets() {
    return secrets.values();
  }

  /** Extra lines of the next launches' endpoints.env; see {@link World#endpointsExtra()}. */
  Map<String, String> endpointsExtra() {
    return endpointsExtra;
  }

  Instance launch() {
    long t0 = System.nanoTime();
    Deployment deployment = deploy.deployment();
    secrets.seed(account, deployment);
    String instanceId = account.runInstance();
    int k = instances.size() + 1;
    Bridge bridge = standIns.bridge();
    String address = bridge.instanceAddress(k);
    standIns.identify(instanceId, World.REGION, account.az(), address);
    String machine =
        (bridge.name().equals(Bridges.UP) ? "zu" : Bridges.RUN_MACHINES)
            + MACHINES.incrementAndGet();
    Instance instance =
        new Instance(
            image,
            new Instance.Spec(
                machine,
                instanceId,
                address,
                bridge.name(),
                deployment.userData(),
                standIns.endpointsEnv(endpointsExtra),
                Optional.of(deploy.ebs().volume())),
            scratch,
            out.resolve("instance-" + k));
    standIns.trustIn(instance, image);
    instances.add(instance);
    progress.say(
        String.format(
            "  launching instance %s at %s (account ready in %.1f s)",
            instanceId, address, (System.nanoTime() - t0) / 1e9));
    instance.boot();
    deploy.ebs().start();
    return instance;
  }

  void reboot(Instance instance) {
    instance.stop(Duration.ofSeconds(90));
    instance.boot();
  }

  void terminate(Instance instance) {
    long t0 = System.nanoTime();
    instance.stop(Duration.ofSeconds(90));
    long t1 = System.nanoTime();
    account.terminateInstance(instance.spec().instanceId());
    progress.say(
        String.format(
            "  %s stopped in %.1f s, terminated in moto in %.1f s",
            instance.spec().instanceId(), (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9));
  }

  List<Instance> instances() {
    return List.copyOf(instances);
  }
}
