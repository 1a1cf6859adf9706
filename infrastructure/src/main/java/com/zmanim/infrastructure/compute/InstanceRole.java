package com.zmanim.infrastructure.compute;

import static com.zmanim.infrastructure.compute.IamStatements.allow;

import com.zmanim.infrastructure.Ordered;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * The instance's role: each statement names the resources it may touch (the data volume, the
 * Elastic IP, this stack, the two buckets, the parameter prefix, the SES identity, the app's log
 * groups), with conditions where EC2 and CloudWatch allow no resource scoping. No managed policy:
 * what the SSM agent (Session Manager, Run Command) and the CloudWatch agent need is written out
 * here, scoped to this environment, because AmazonSSMManagedInstanceCore and
 * CloudWatchAgentServerPolicy allow reading every parameter and writing every log group of the
 * account.
 */
public final class InstanceRole extends Construct {

  /** The tag Auto Scaling puts on every instance it launches; users cannot set aws: tags. */
  static final String GROUP_TAG_CONDITION = "ec2:ResourceTag/aws:autoscaling:groupName";

  /**
   * @param autoScalingGroupName the group whose instances may attach the volume and take the EIP
   * @param dataVolumeId {@code vol-...} (token)
   * @param allocationId {@code eipalloc-...} (token)
   * @param stackId ARN of the stack whose resource the instance signals
   * @param backupsBucket name of the backups bucket (token)
   * @param backupPrefixes key prefixes ({@code restic/}, {@code pgbackrest/}) whose objects the
   *     backup tools read, write and delete (deletes only add markers)
   * @param releasesBucket name of the releases bucket (token)
   * @param ssmPrefix {@code /zmanim/prod}: parameters readable below it
   * @param sesIdentity SES identity the instance may send from
   * @param notifyFrom the only From address allowed
   * @param notifyTo the only recipient allowed (the alarm address)
   * @param metricsNamespace the only namespace custom metrics may go to
   * @param logGroupArns ARNs ({@code ...:log-group:NAME:*}) the instance may write to
   */
  public record Props(
      String autoScalingGroupName,
      String dataVolumeId,
      String allocationId,
      String stackId,
      String backupsBucket,
      List<String> backupPrefixes,
      String releasesBucket,
      String ssmPrefix,
      String sesIdentity,
      String notifyFrom,
      String notifyTo,
      String metricsNamespace,
      String agentNamespace,
      String agentConfigParameter,
      List<String> logGroupArns) {
    public Props {
      Objects.requireNonNull(autoScalingGroupName, "autoScalingGroupName");
      Objects.requireNonNull(dataVolumeId, "dataVolumeId");
      Objects.requireNonNull(allocationId, "allocationId");
      Objects.requireNonNull(stackId, "stackId");
      Objects.requireNonNull(backupsBucket, "backupsBucket");
      Objects.requireNonNull(releasesBucket, "releasesBucket");
      if (backupPrefixes == null
          || backupPrefixes.isEmpty()
          || !backupPrefixes.stream().allMatch(x -> x.matches("[a-z0-9-]+/"))) {
        throw new IllegalArgumentException(
            "backupPrefixes is invalid: "
                + backupPrefixes
                + ": expected names such as restic/ (lowercase, ending with /)");
      }
      backupPrefixes = List.copyOf(backupPrefixes);
      Objects.requireNonNull(sesIdentity, "sesIdentity");
      Objects.requireNonNull(notifyFrom, "notifyFrom");
      Objects.requireNonNull(notifyTo, "notifyTo");
      Objects.requireNonNull(metricsNamespace, "metricsNamespace");
      Objects.requireNonNull(agentNamespace, "agentNamespace");
      IamStatements.requireAgentInputs(agentConfigParameter, logGroupArns);
      if (ssmPrefix == null || !ssmPrefix.startsWith("/") || ssmPrefix.endsWith("/")) {
        throw new IllegalArgumentException(
            "ssmPrefix is invalid: " + ssmPrefix + ": expected /a/b");
      }
      logGroupArns = List.copyOf(logGroupArns);
    }
  }

  private final Role role;

  public InstanceRole(Construct scope, String id, Props props) {
    super(scope, id);
    role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
            .description(
                "zmanim instance: attach its data volume, take its EIP, read its parameters, back up")
            .inlinePolicies(
                Map.of(
                    "zmanim-instance",
                    PolicyDocument.Builder.create().statements(statements(props)).build()))
            .build();
  }

  public Role role() {
    return role;
  }

  private static List<PolicyStatement> statements(Props p) {
    String ec2 = "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
    String groupInstances = ec2 + "instance/*";
    Map<String, Object> inGroup =
        Map.of("StringEquals", Map.of(GROUP_TAG_CONDITION, p.autoScalingGroupName()));
    Map<String, Object> thisRegion =
        Map.of("StringEquals", Map.of("aws:RequestedRegion", Aws.REGION));
    String backups = "arn:" + Aws.PARTITION + ":s3:::" + p.backupsBucket();
    String releases = "arn:" + Aws.PARTITION + ":s3:::" + p.releasesBucket();

    List<PolicyStatement> s = new ArrayList<>();
    // The boot logic attaches the data volume by id: that volume, to instances of this group only.
    s.add(
        allow(
            "AttachDataVolume",
            List.of("ec2:AttachVolume"),
            List.of(ec2 + "volume/" + p.dataVolumeId()),
            null));
    s.add(
        allow(
            "AttachToGroupInstances",
            List.of("ec2:AttachVolume", "ec2:AssociateAddress"),
            List.of(groupInstances),
            inGroup));
    s.add(
        allow(
            "AssociateElasticIp",
            List.of("ec2:AssociateAddress"),
            List.of(ec2 + "elastic-ip/" + p.allocationId()),
            null));
    // Describe calls support no resource-level permissions in EC2: region-scoped instead.
    // DescribeTags: the CloudWatch agent reads the group name it appends to its metrics.
    s.add(
        allow(
            "DescribeVolumeAndAddress",
            List.of(
                "ec2:DescribeVolumes",
                "ec2:DescribeAddresses",
                "ec2:DescribeInstances",
                "ec2:DescribeTags"),
            List.of("*"),
            thisRegion));
    s.add(
        allow(
            "SignalThisStack",
            List.of("cloudformation:SignalResource"),
            List.of(p.stackId()),
            null));
    // restic and pgBackRest: list, read, write and prune (restic prune, pgBackRest expire) objects
    // under their own prefixes. No s3:DeleteObjectVersion: on the versioned bucket a delete only
    // adds a delete marker, so a compromised instance cannot destroy history.
    s.add(
        allow(
            "BackupsBucketList",
            List.of("s3:ListBucket", "s3:GetBucketLocation"),
            List.of(backups),
            null));
    s.add(
        allow(
            "BackupsObjects",
            List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
            p.backupPrefixes().stream().map(prefix -> backups + "/" + prefix + "*").toList(),
            null));
    s.add(
        allow(
            "ReleasesRead",
            List.of("s3:ListBucket", "s3:GetBucketLocation"),
            List.of(releases),
            null));
    s.add(allow("ReleasesObjectsRead", List.of("s3:GetObject"), List.of(releases + "/*"), null));
    String parameters = IamStatements.parameterArn(p.ssmPrefix());
    s.add(
        allow(
            "ReadOwnParameters",
            List.of("ssm:GetParameter", "ssm:GetParameters"),
            List.of(parameters + "/*"),
            null));
    // SecureString decryption with the account's SSM key, only when SSM asks on our behalf for a
    // parameter under the prefix.
    s.add(
        allow(
            "DecryptOwnParametersViaSsm",
            List.of("kms:Decrypt"),
            List.of(
                "arn:" + Aws.PARTITION + ":kms:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":key/*"),
            Ordered.map(
                "StringEquals", Map.of("kms:ViaService", "ssm." + Aws.REGION + ".amazonaws.com"),
                "StringLike", Map.of("kms:EncryptionContext:PARAMETER_ARN", parameters + "/*"))));
    s.add(IamStatements.sendNotifications(p.sesIdentity(), p.notifyFrom(), p.notifyTo()));
    s.add(IamStatements.putAppMetrics(p.metricsNamespace(), p.agentNamespace()));
    // The CloudWatch agent's configuration: this one parameter (fetch-config at boot).
    s.add(IamStatements.readAgentConfig(p.agentConfigParameter()));
    // The SSM agent (Session Manager, Run Command): it registers and heartbeats as its instance
    // (UpdateInstanceInformation, on this account's instances in the region) and opens its
    // message channels. It needs no GetParameter. ssmmessages and ec2messages define no resource
    // types: region-scoped instead.
    s.addAll(IamStatements.ssmAgent(groupInstances));
    s.add(IamStatements.writeAppLogs(p.logGroupArns()));
    return s;
  }
}
