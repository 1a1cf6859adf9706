package com.zmanim.infrastructure.compute;

import static com.zmanim.infrastructure.compute.IamStatements.allow;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnTag;
import software.amazon.awscdk.services.dlm.CfnLifecyclePolicy;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * Daily EBS snapshots of the data volume by Data Lifecycle Manager, kept for a number of days, with
 * DLM's own role: it may snapshot only volumes carrying the target tag and delete only snapshots
 * carrying it (DLM copies the volume's tags onto its snapshots). The instance role holds no
 * snapshot permission at all, so a compromised instance can neither make nor delete them.
 */
public final class DataVolumeSnapshots extends Construct {

  /**
   * @param tagKey tag key DLM targets (set on the data volume)
   * @param tagValue its value
   * @param retainDays how many daily snapshots are kept
   * @param timeUtc when the daily snapshot starts ({@code HH:MM} UTC; DLM starts within the hour)
   * @param description the policy's description
   */
  public record Props(
      String tagKey, String tagValue, int retainDays, String timeUtc, String description) {
    public Props {
      Objects.requireNonNull(tagKey, "tagKey");
      Objects.requireNonNull(tagValue, "tagValue");
      Objects.requireNonNull(description, "description");
      if (retainDays < 1 || retainDays > 1_000) {
        throw new IllegalArgumentException(
            "retainDays is invalid: " + retainDays + ": DLM keeps 1 to 1000");
      }
      if (timeUtc == null || !timeUtc.matches("([01]\\d|2[0-3]):[0-5]\\d")) {
        throw new IllegalArgumentException("timeUtc is invalid: " + timeUtc + ": expected HH:MM");
      }
    }
  }

  private final CfnLifecyclePolicy policy;
  private final Role role;

  public DataVolumeSnapshots(Construct scope, String id, Props props) {
    super(scope, id);
    String ec2 = "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
    String ec2Snapshots = "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + "::snapshot/*";
    Map<String, Object> tagged =
        Map.of("StringEquals", Map.of("ec2:ResourceTag/" + props.tagKey(), props.tagValue()));
    role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("dlm.amazonaws.com"))
            .description("Data Lifecycle Manager: daily snapshots of the zmanim data volume")
            .inlinePolicies(
                Map.of(
                    "dlm-data-volume",
                    PolicyDocument.Builder.create()
                        .statements(
                            List.of(
                                allow(
                                    "SnapshotTaggedVolume",
                                    List.of("ec2:CreateSnapshot"),
                                    List.of(ec2 + "volume/*"),
                                    tagged),
                                // The new snapshot's id does not exist before; DLM tags it (copying
                                // the volume's tags)
                                // as it creates it or right after, so no tag condition can apply
                                // here.
                                allow(
                                    "CreateAndTagSnapshots",
                                    List.of("ec2:CreateSnapshot", "ec2:CreateTags"),
                                    List.of(ec2Snapshots),
                                    null),
                                allow(
                                    "DeleteOwnSnapshots",
                                    List.of("ec2:DeleteSnapshot"),
                                    List.of(ec2Snapshots),
                                    tagged),
                                // Describe calls support no resource-level permissions in EC2:
                                // region-scoped instead.
                                allow(
                                    "Describe",
                                    List.of(
                                        "ec2:DescribeVolumes",
                                        "ec2:DescribeSnapshots",
                                        "ec2:DescribeInstances"),
                                    List.of("*"),
                                    Map.of(
                                        "StringEquals",
                                        Map.of("aws:RequestedRegion", Aws.REGION)))))
                        .build()))
            .build();
    policy =
        CfnLifecyclePolicy.Builder.create(this, "Policy")
            .description(props.description())
            .state("ENABLED")
            .executionRoleArn(role.getRoleArn())
            .policyDetails(
                CfnLifecyclePolicy.PolicyDetailsProperty.builder()
                    .policyType("EBS_SNAPSHOT_MANAGEMENT")
                    .resourceTypes(List.of("VOLUME"))
                    .targetTags(
                        List.of(
                            CfnTag.builder().key(props.tagKey()).value(props.tagValue()).build()))
                    .schedules(
                        List.of(
                            CfnLifecyclePolicy.ScheduleProperty.builder()
                                .name("daily")
                                .copyTags(true)
                                .createRule(
                                    CfnLifecyclePolicy.CreateRuleProperty.builder()
                                        .interval(24)
                                        .intervalUnit("HOURS")
                                        .times(List.of(props.timeUtc()))
                                        .build())
                                .retainRule(
                                    CfnLifecyclePolicy.RetainRuleProperty.builder()
                                        .interval(props.retainDays())
                                        .intervalUnit("DAYS")
                                        .build())
                                .build()))
                    .build())
            .build();
  }

  public CfnLifecyclePolicy policy() {
    return policy;
  }

  public Role role() {
    return role;
  }
}
