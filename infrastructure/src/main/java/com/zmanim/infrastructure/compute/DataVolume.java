package com.zmanim.infrastructure.compute;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.CfnTag;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.CfnVolume;
import software.constructs.Construct;

/**
 * The persistent data volume (PostgreSQL, Redis under {@code /data}). A standalone volume with no
 * CloudFormation attachment: the instance's boot logic attaches it by id, so an instance can be
 * replaced (terminated first, then launched) without CloudFormation ever holding the volume.
 * Retained when deleted from the stack or replaced: data is never deleted by a deploy.
 */
public final class DataVolume extends Construct {

  /**
   * @param availabilityZone the instance subnet's AZ (may be a token: an imported value)
   * @param sizeGib size
   * @param iops gp3 IOPS
   * @param throughputMibs gp3 throughput
   * @param name Name tag
   * @param snapshotTag key and value of the tag Data Lifecycle Manager's daily snapshots target
   */
  public record Props(
      String availabilityZone,
      int sizeGib,
      int iops,
      int throughputMibs,
      String name,
      Map.Entry<String, String> snapshotTag) {
    public Props {
      Objects.requireNonNull(availabilityZone, "availabilityZone");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(snapshotTag, "snapshotTag");
      if (sizeGib < 1) {
        throw new IllegalArgumentException("sizeGib is invalid: " + sizeGib);
      }
      if (iops < 3_000 || throughputMibs < 125) {
        throw new IllegalArgumentException(
            "iops/throughputMibs are invalid: "
                + iops
                + "/"
                + throughputMibs
                + ": gp3 starts at 3000 IOPS and 125 MiB/s");
      }
    }
  }

  private final CfnVolume volume;

  public DataVolume(Construct scope, String id, Props props) {
    super(scope, id);
    volume =
        CfnVolume.Builder.create(this, "Volume")
            .availabilityZone(props.availabilityZone())
            .size(props.sizeGib())
            .volumeType("gp3")
            .iops(props.iops())
            .throughput(props.throughputMibs())
            .encrypted(true)
            .tags(
                List.of(
                    CfnTag.builder().key("Name").value(props.name()).build(),
                    CfnTag.builder()
                        .key(props.snapshotTag().getKey())
                        .value(props.snapshotTag().getValue())
                        .build()))
            .build();
    // DeletionPolicy and UpdateReplacePolicy Retain: never lose the data to a stack change.
    volume.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }

  /** The volume id ({@code vol-...}). */
  public String volumeId() {
    return volume.getRef();
  }

  public CfnVolume resource() {
    return volume;
  }
}
