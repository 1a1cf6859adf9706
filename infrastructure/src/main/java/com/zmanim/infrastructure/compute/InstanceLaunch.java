package com.zmanim.infrastructure.compute;

import java.util.List;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.CfnAutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.GroupMetric;
import software.amazon.awscdk.services.autoscaling.GroupMetrics;
import software.amazon.awscdk.services.autoscaling.NotificationConfiguration;
import software.amazon.awscdk.services.autoscaling.ScalingEvents;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.LaunchTemplateHttpTokens;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.OperatingSystemType;
import software.amazon.awscdk.services.ec2.SsmParameterImageOptions;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * What every instance of the image is launched with, in either profile: one launch template (the
 * image from its SSM parameter, an encrypted gp3 root volume, IMDSv2 only, detailed monitoring, a
 * public address) and its Auto Scaling group's metrics, notifications and signal id. The groups
 * differ in size, health checks and update policy ({@link AppServerGroup}, the ha ApiServerGroup).
 */
public final class InstanceLaunch {

  /** Root device name of Debian's arm64 AMIs, which the image is built from (contract §5). */
  public static final String ROOT_DEVICE = "/dev/xvda";

  private InstanceLaunch() {}

  /** Validates the inputs both groups' Props share; a bad one fails naming it. */
  public static void check(String amiParameter, int rootVolumeGib, int signalTimeoutMinutes) {
    if (amiParameter == null || !amiParameter.startsWith("/")) {
      throw new IllegalArgumentException("amiParameter is invalid: " + amiParameter);
    }
    if (rootVolumeGib < 8) {
      throw new IllegalArgumentException("rootVolumeGib is invalid: " + rootVolumeGib);
    }
    if (signalTimeoutMinutes < 5) {
      throw new IllegalArgumentException(
          "signalTimeoutMinutes is invalid: "
              + signalTimeoutMinutes
              + ": a boot (attach, mount, PostgreSQL, API) needs several minutes");
    }
  }

  /**
   * The launch template {@code LaunchTemplate} in {@code scope}, tagged Name = {@code name}.
   *
   * @param amiParameter SSM parameter holding the AMI id, resolved at every deploy
   */
  public static LaunchTemplate template(
      Construct scope,
      String instanceType,
      String amiParameter,
      UserData userData,
      IRole role,
      ISecurityGroup securityGroup,
      int rootVolumeGib,
      String name) {
    LaunchTemplate template =
        LaunchTemplate.Builder.create(scope, "LaunchTemplate")
            .instanceType(new InstanceType(instanceType))
            // An AWS::SSM::Parameter::Value<AWS::EC2::Image::Id> parameter: CloudFormation reads
            // the AMI id at every deploy, so publishing a new image and deploying replaces the
            // instances.
            .machineImage(
                MachineImage.fromSsmParameter(
                    amiParameter,
                    SsmParameterImageOptions.builder().os(OperatingSystemType.LINUX).build()))
            .userData(userData)
            .role(role)
            .securityGroup(securityGroup)
            // Egress to AWS APIs through the instance's own public address (ADR 0014: no NAT
            // gateway, no interface endpoints); the single instance's Elastic IP then replaces it.
            .associatePublicIpAddress(true)
            .blockDevices(
                List.of(
                    BlockDevice.builder()
                        .deviceName(ROOT_DEVICE)
                        .volume(
                            BlockDeviceVolume.ebs(
                                rootVolumeGib,
                                EbsDeviceOptions.builder()
                                    .volumeType(EbsDeviceVolumeType.GP3)
                                    .encrypted(true)
                                    .deleteOnTermination(true)
                                    .build()))
                        .build()))
            .requireImdsv2(true)
            .httpTokens(LaunchTemplateHttpTokens.REQUIRED)
            .httpEndpoint(true)
            // Hop limit 1: every process that needs credentials runs on the host itself (systemd
            // services, no containers), so no metadata response ever needs to cross a second hop.
            .httpPutResponseHopLimit(1)
            // 1-minute EC2 metrics: the status-check alarms react in minutes, not a quarter hour.
            .detailedMonitoring(true)
            .build();
    Tags.of(template).add("Name", name);
    return template;
  }

  /** The group metrics the dashboards and alarms read. */
  public static List<GroupMetrics> groupMetrics() {
    return List.of(
        new GroupMetrics(
            GroupMetric.IN_SERVICE_INSTANCES,
            GroupMetric.DESIRED_CAPACITY,
            GroupMetric.TERMINATING_INSTANCES,
            GroupMetric.PENDING_INSTANCES));
  }

  /** Every launch, termination and failure of the group, to {@code events}. */
  public static List<NotificationConfiguration> notifications(ITopic events) {
    return List.of(
        NotificationConfiguration.builder().topic(events).scalingEvents(ScalingEvents.ALL).build());
  }

  /** Gives the group the logical id the user data names to the boot logic for its signal. */
  public static void signalLogicalId(AutoScalingGroup group, String logicalId) {
    ((CfnAutoScalingGroup) group.getNode().getDefaultChild()).overrideLogicalId(logicalId);
  }
}
