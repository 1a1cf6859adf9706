package com.zmanim.infrastructure.compute;

import com.zmanim.infrastructure.Ordered;
import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.nag.Acknowledge;
import com.zmanim.infrastructure.nag.CheckovSkip;
import com.zmanim.infrastructure.naming.Naming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * {@code ZmanimProdCompute}: the instance (an Auto Scaling group of one), its data volume and
 * Elastic IP (attached and associated by the boot logic, not by CloudFormation), its role, log
 * groups, agent configuration, alarms and the operator's dashboard. Imports the network and storage
 * stacks' exports.
 */
public final class ComputeStack extends Stack {

  /**
   * When DLM's daily snapshot of the data volume starts (UTC): after the 03:00 base backup, so a
   * snapshot and the repository's newest full or differential backup are close in time.
   */
  static final String SNAPSHOT_TIME_UTC = "04:00";

  /** Logical id of the Auto Scaling group: the boot logic signals it (contract §1). */
  public static final String SIGNAL_RESOURCE = "AppServerGroup";

  public ComputeStack(
      Construct scope, String id, StackProps props, ZmanimConfig config, Naming naming) {
    super(scope, id, props);
    naming.tag(this, "compute");

    String subnetId =
        Fn.importValue(naming.exportName(Naming.subnetIdExport(config.dataVolumeAz())));
    String subnetAz =
        Fn.importValue(naming.exportName(Naming.subnetAzExport(config.dataVolumeAz())));
    IVpc vpc =
        Vpc.fromVpcAttributes(
            this,
            "Vpc",
            VpcAttributes.builder()
                .vpcId(Fn.importValue(naming.exportName(Naming.VPC_ID)))
                .availabilityZones(List.of(subnetAz))
                .publicSubnetIds(List.of(subnetId))
                .build());
    Annotations.of(vpc)
        .acknowledgeWarning(
            "@aws-cdk/aws-ec2:noSubnetRouteTableId",
            "The compute stack only places the group in the subnet; it never reads its route table.");
    ISecurityGroup securityGroup =
        SecurityGroup.fromSecurityGroupId(
            this, "SecurityGroup", Fn.importValue(naming.exportName(Naming.SECURITY_GROUP_ID)));
    String backupsBucket = Fn.importValue(naming.exportName(Naming.BACKUPS_BUCKET));
    String releasesBucket = Fn.importValue(naming.exportName(Naming.RELEASES_BUCKET));

    DataVolume volume =
        new DataVolume(
            this,
            dataVolumeId(config.dataVolumeGeneration()),
            new DataVolume.Props(
                subnetAz,
                config.dataVolumeGib(),
                config.dataVolumeIops(),
                config.dataVolumeThroughput(),
                dataVolumeName(naming, config.dataVolumeGeneration()),
                Map.entry(Naming.SNAPSHOT_TAG_KEY, naming.snapshotTagValue())));
    DataVolumeSnapshots snapshots =
        new DataVolumeSnapshots(
            this,
            "DataSnapshots",
            new DataVolumeSnapshots.Props(
                Naming.SNAPSHOT_TAG_KEY,
                naming.snapshotTagValue(),
                config.pitrRetentionDays(),
                SNAPSHOT_TIME_UTC,
                "Daily snapshots of "
                    + naming.snapshotTagValue()
                    + ", kept "
                    + config.pitrRetentionDays()
                    + " days"));
    Acknowledge.rules(
        snapshots,
        Ordered.map(
            "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:volume/*]",
            "DLM snapshots only volumes carrying the snapshot tag (ec2:ResourceTag condition); the volume id "
                + "changes with each data volume generation.",
            "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>::snapshot/*]",
            "A new snapshot's id does not exist before DLM creates it; deletion is limited to snapshots "
                + "carrying the snapshot tag (ec2:ResourceTag).",
            "AwsSolutions-IAM5[Resource::*]",
            "EC2 Describe* actions support no resource-level permissions; limited to the region."));
    PublicAddress address =
        new PublicAddress(
            this, "PublicAddress", new PublicAddress.Props(naming.resourceName("api")));

    AgentConfigParameter.Shipping shipping =
        AgentConfigParameter.ship(
            this,
            AppLogGroups.SERVICES,
            naming::logGroupName,
            config.logRetentionDays(),
            naming.agentConfigParameterName(),
            AgentConfigParameter.RESOURCE);
    AppLogGroups logs = shipping.logs();
    AgentConfigParameter agentConfig = shipping.agentConfig();

    InstanceRole role =
        new InstanceRole(
            this,
            "Instance",
            new InstanceRole.Props(
                naming.autoScalingGroupName(),
                volume.volumeId(),
                address.allocationId(),
                Aws.STACK_ID,
                backupsBucket,
                List.of(Naming.RESTIC_PREFIX, Naming.PGBACKREST_PREFIX),
                releasesBucket,
                config.ssmPrefix(),
                config.sesIdentity(),
                config.notifyFrom(),
                config.alarmEmail(),
                config.metricsNamespace(),
                AppAlarms.AGENT_NAMESPACE,
                naming.agentConfigParameterName(),
                logs.groups().values().stream().map(LogGroup::getLogGroupArn).toList()));
    acknowledgeRole(role, config, naming);

    AlarmTopic topic =
        new AlarmTopic(
            this,
            "Alarms",
            new AlarmTopic.Props(naming.resourceName("alarms"), config.alarmEmail()));
    String topicReason =
        "Not encrypted with KMS: CloudWatch alarms cannot publish to a topic encrypted with the "
            + "AWS-managed SNS key, and the messages carry only alarm names and states, no data.";
    Acknowledge.rule(topic, "AwsSolutions-SNS2", topicReason);
    CheckovSkip.on(topic.topic(), "CKV_AWS_26", topicReason);

    Map<String, String> userData = new LinkedHashMap<>();
    userData.put("Environment", config.environmentName());
    userData.put("SsmPrefix", config.ssmPrefix());
    userData.put("DataVolumeId", volume.volumeId());
    userData.put("AllocationId", address.allocationId());
    userData.put("BackupBucket", backupsBucket);
    userData.put("ReleasesBucket", releasesBucket);
    userData.put("SignalResource", SIGNAL_RESOURCE);
    userData.put("NotifyFrom", config.notifyFrom());
    userData.put("NotifyTo", config.alarmEmail());
    userData.put("MetricsNamespace", config.metricsNamespace());
    userData.put("AgentConfigParameter", agentConfig.parameterName());
    userData.put("BlankVolume", config.blankVolume());
    userData.put("PitrRetentionDays", Integer.toString(config.pitrRetentionDays()));
    userData.put("ArchiveTimeoutSeconds", Integer.toString(config.archiveTimeoutSeconds()));
    userData.put("ApiPort", Integer.toString(config.apiPort()));

    AppServerGroup server =
        new AppServerGroup(
            this,
            "Server",
            new AppServerGroup.Props(
                vpc,
                securityGroup,
                role.role(),
                config.instanceType(),
                config.amiIdParameter(),
                config.rootVolumeGib(),
                BootUserData.render(userData),
                naming.autoScalingGroupName(),
                config.bootTimeoutMinutes(),
                SIGNAL_RESOURCE,
                topic.topic()));
    Acknowledge.rule(
        server.image(),
        "AwsSolutions-IAM5[Resource::*]",
        "ec2:DescribeImages supports no resource-level permissions; the call asks for images owned by self.");
    IConstruct imageCheck = OwnedImage.provider(this);
    // CDK's provider function also DependsOn its role, which its Role GetAtt already enforces
    // (cfn-lint W3005): drop the redundant one.
    ((CfnResource) imageCheck.getNode().getDefaultChild()).addDeletionOverride("DependsOn");
    Acknowledge.rules(
        imageCheck,
        Ordered.map(
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
            "The image-owner check's function (CDK's AwsCustomResource provider) writes only its own logs; it "
                + "runs once per deploy with no access to data, and CDK manages its role.",
            "AwsSolutions-IAM5[Resource::*]",
            "ec2:DescribeImages supports no resource-level permissions; the call asks for images owned by self.",
            "AwsSolutions-L1",
            "CDK's AwsCustomResource provider pins the Node.js runtime it is built and tested with."));
    String lambdaReason =
        "CDK's AwsCustomResource provider: one DescribeImages call per deploy, no data, no network "
            + "but the EC2 API; ";
    CheckovSkip.on(imageCheck, "CKV_AWS_115", lambdaReason + "no concurrency to reserve.");
    CheckovSkip.on(
        imageCheck,
        "CKV_AWS_116",
        lambdaReason + "CloudFormation reports a failure; no queue to dead-letter.");
    CheckovSkip.on(
        imageCheck,
        "CKV_AWS_117",
        lambdaReason + "a VPC would need a NAT or an EC2 endpoint (ADR 0002).");
    CheckovSkip.on(
        imageCheck,
        "CKV_AWS_173",
        lambdaReason + "its environment holds no variable worth a KMS key.");
    CheckovSkip.on(
        server.template(),
        "CKV_AWS_88",
        "The instance needs a public IPv4 at launch to reach the EC2 API before it takes its Elastic IP "
            + "(no NAT gateway, no interface endpoints: ADR 0002); its security group admits only CloudFront.");
    Annotations.of(server.group())
        .acknowledgeWarning(
            "@aws-cdk/aws-autoscaling:desiredCapacitySet",
            "Intended: the group is exactly one instance, so every deploy may reset it to 1 (min = max = 1).");
    // The agent configuration must exist before the first instance fetches it.
    server.group().getNode().addDependency(agentConfig);
    server.group().getNode().addDependency(logs);

    AppAlarms alarms =
        new AppAlarms(
            this,
            "Monitoring",
            new AppAlarms.Props(
                naming.autoScalingGroupName(),
                config.environmentName(),
                config.metricsNamespace(),
                naming.resourceName(""),
                topic.topic(),
                backupsBucket,
                Naming.PGBACKREST_METRICS_FILTER));
    ApiAlarms apiAlarms =
        new ApiAlarms(
            this,
            "ApiMonitoring",
            new ApiAlarms.Props(
                config.metricsNamespace(),
                config.environmentName(),
                naming.resourceName(""),
                topic.topic()));
    List<IAlarm> allAlarms = new ArrayList<>(apiAlarms.alarms());
    allAlarms.addAll(alarms.alarms());
    new OperatorDashboard(
        this,
        "Operator",
        new OperatorDashboard.Props(
            naming.resourceName("operator"),
            config.metricsNamespace(),
            config.environmentName(),
            naming.autoScalingGroupName(),
            AppAlarms.AGENT_NAMESPACE,
            AppAlarms.DATA_PATH,
            allAlarms));

    RotationDocument rotation =
        new RotationDocument(
            this, "Rotation", new RotationDocument.Props(naming.resourceName("rotate")));

    CfnOutput.Builder.create(this, "ElasticIp")
        .value(address.address())
        .exportName(naming.exportName("ElasticIp"))
        .description("the API's public address (CloudFront's origin); stable across replacements")
        .build();
    output(
        "ElasticIpAllocationId",
        address.allocationId(),
        "the Elastic IP the boot logic associates");
    output("DataVolumeId", volume.volumeId(), "the persistent data volume the boot logic attaches");
    output(
        "AutoScalingGroupName",
        server.group().getAutoScalingGroupName(),
        "the group of one instance");
    output("AlarmTopicArn", topic.topic().getTopicArn(), "alarms and Auto Scaling events");
    output(
        "RotationDocumentName",
        rotation.documentName(),
        "the SSM document scripts/ops/secrets.sh rotate sends to the instance (zmanim-rotate STEP)");
  }

  /**
   * The data volume's construct id: {@code Data} for generation 1 (the id the first deployments
   * used, so their volume stays in place), {@code DataGen<N>} after. A new id is a new, blank
   * volume; the previous one leaves the template and is retained by its policy, never deleted.
   */
  static String dataVolumeId(int generation) {
    return generation == 1 ? "Data" : "DataGen" + generation;
  }

  private static String dataVolumeName(Naming naming, int generation) {
    return naming.resourceName(generation == 1 ? "data" : "data-gen" + generation);
  }

  private static void acknowledgeRole(InstanceRole role, ZmanimConfig config, Naming naming) {
    String arn = "arn:<AWS::Partition>:";
    String account = "<AWS::Region>:<AWS::AccountId>:";
    Map<String, String> reasons = new LinkedHashMap<>();
    reasons.put(
        "AwsSolutions-IAM5[Resource::*]",
        "ec2:DescribeVolumes/DescribeAddresses/DescribeInstances/DescribeTags, cloudwatch:PutMetricData "
            + "and the SSM agent's ssmmessages/ec2messages channel actions support no resource-level "
            + "permissions; they are limited by aws:RequestedRegion and by cloudwatch:namespace (the "
            + "app's and the CloudWatch agent's) instead.");
    reasons.put(
        "AwsSolutions-IAM5[Resource::" + arn + "ec2:" + account + "instance/*]",
        "The instance id is not known before launch: AttachVolume/AssociateAddress on instances only "
            + "when they carry the aws:autoscaling:groupName tag of this group (users cannot set aws: tags); "
            + "the SSM agent's UpdateInstanceInformation (registration, heartbeat) on this account's "
            + "instances in the region.");
    reasons.put(
        "AwsSolutions-IAM5[Resource::" + arn + "kms:" + account + "key/*]",
        "The account's aws/ssm key id is not known at synth; kms:Decrypt is only allowed via SSM "
            + "(kms:ViaService) for parameters under the prefix (kms:EncryptionContext:PARAMETER_ARN).");
    for (String prefix : List.of(Naming.RESTIC_PREFIX, Naming.PGBACKREST_PREFIX)) {
      reasons.put(
          "AwsSolutions-IAM5[Resource::"
              + arn
              + "s3:::"
              + naming.exportName(Naming.BACKUPS_BUCKET)
              + "/"
              + prefix
              + "*]",
          "restic and pgBackRest read, write and prune objects of their own repository, "
              + "under their own prefix only (object names are content hashes and WAL segment names); no "
              + "s3:DeleteObjectVersion, so a delete only adds a marker and versioning keeps the history.");
    }
    reasons.put(
        "AwsSolutions-IAM5[Resource::"
            + arn
            + "s3:::"
            + naming.exportName(Naming.RELEASES_BUCKET)
            + "/*]",
        "Read-only access to release artifacts, whose version paths are only known at release time.");
    reasons.put(
        "AwsSolutions-IAM5[Resource::"
            + arn
            + "ssm:"
            + account
            + "parameter"
            + config.ssmPrefix()
            + "/*]",
        "The boot logic reads the app's parameters (secrets, AMI and release versions) under its own "
            + "prefix only; names are contract §3 and may grow.");
    Acknowledge.rules(role, reasons);
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }
}
