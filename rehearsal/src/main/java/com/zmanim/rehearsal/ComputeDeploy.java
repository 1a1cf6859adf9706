package com.zmanim.rehearsal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The compute stack as deployed in one world's emulated account: its user data rendered from a
 * synthesized cdk.out (the ids and names handed to it included), and the data volume the emulated
 * EBS serves for the volume resource it names. A redeploy renders another synthesis; when it names
 * another volume resource, the old device is discarded, as CloudFormation creates a new volume.
 */
final class ComputeDeploy implements AutoCloseable {
  private final Layout layout;
  private final String region;
  private final EmulatedAccount account;
  private final Supplier<List<Instance>> instances;
  private final Path out;
  private final EmulatedEbs ebs;
  private volatile Deployment deployment;

  /**
   * Renders the user data of {@code stack} in the synthesized app ({@link
   * Layout#computeTemplate()}) with resources created in {@code account}.
   *
   * @param scratch where the volume's file lives
   * @param out where the EBS log and redeploys' syntheses go
   */
  ComputeDeploy(
      Layout layout,
      String region,
      EmulatedAccount account,
      Supplier<List<Instance>> instances,
      Path scratch,
      Path out) {
    this.layout = layout;
    this.region = region;
    this.account = account;
    this.instances = instances;
    this.out = out;
    Path template = layout.computeTemplate();
    if (!Files.isRegularFile(template)) {
      throw new IllegalStateException(
          template + " does not exist: synthesize the CDK app first (make synth)");
    }
    deployment = new UserData(template.getParent(), region, account).render(World.STACK);
    ebs =
        new EmulatedEbs(
            account,
            () -> deployment.dataVolumeId(),
            instances,
            scratch.resolve("data-volume.img"),
            out.resolve("ebs.log"));
  }

  Deployment deployment() {
    return deployment;
  }

  EmulatedEbs ebs() {
    return ebs;
  }

  /**
   * Synthesizes the CDK app again with {@code contextJson} into this world's folder
   * (scripts/cdk-app.sh, as scripts/synth.sh runs it) and renders it; instances launched from now
   * on get its user data. A new volume id: the old volume stays in moto (retained), its device is
   * not this deploy's, and the emulated EBS serves a blank one for the new resource.
   */
  void redeploy(String contextJson) {
    if (instances.get().stream().anyMatch(Instance::running)) {
      throw new IllegalStateException(
          "redeploy with a running instance: terminate it first, as the group does");
    }
    Path cdkOut = UserData.synthesize(layout, out.resolve("cdk.out-redeploy"), contextJson);
    Deployment next = new UserData(cdkOut, region, account).render(World.STACK);
    if (!next.dataVolumeId().equals(deployment.dataVolumeId())) {
      ebs.discard();
    }
    deployment = next;
  }

  @Override
  public void close() {
    ebs.close();
  }
}
