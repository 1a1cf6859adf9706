package com.zmanim.infrastructure.ha.compute;

import com.zmanim.infrastructure.compute.AppServerGroup;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthCheckType;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthChecksOptions;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.CfnAutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.GroupMetric;
import software.amazon.awscdk.services.autoscaling.GroupMetrics;
import software.amazon.awscdk.services.autoscaling.HealthChecks;
import software.amazon.awscdk.services.autoscaling.NotificationConfiguration;
import software.amazon.awscdk.services.autoscaling.RollingUpdateOptions;
import software.amazon.awscdk.services.autoscaling.ScalingEvents;
import software.amazon.awscdk.services.autoscaling.Signals;
import software.amazon.awscdk.services.autoscaling.SignalsOptions;
import software.amazon.awscdk.services.autoscaling.UpdatePolicy;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.LaunchTemplateHttpTokens;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.OperatingSystemType;
import software.amazon.awscdk.services.ec2.SsmParameterImageOptions;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationTargetGroup;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The {@code ha} profile's API instances: an Auto Scaling group over the public subnets of every
 * AZ, from the same image parameter and root volume layout as the single instance, registered with
 * the load balancer and replaced when its {@code /health} check fails. A deploy is a rolling update
 * one instance at a time that keeps the minimum in service (a new instance is launched and must
 * signal before an old one goes), so the API never stops answering.
 */
public final class ApiServerGroup extends Construct {

  /**
   * @param vpc the ha VPC (imported, public subnets in every AZ)
   * @param securityGroup the instances' group (imported)
   * @param role the instance role
   * @param instanceType Graviton type (the image is arm64)
   * @param amiParameter SSM parameter holding the AMI id (the single profile's, the same image)
   * @param rootVolumeGib root volume size
   * @param userData the boot hand-over (role api)
   * @param groupName fixed name: alarms use it
   * @param minInstances at least 2 (one per AZ)
   * @param maxInstances more than minInstances: room for the rolling update's extra instance
   * @param signalTimeoutMinutes how long a new instance has to signal
   * @param signalLogicalId logical id of the group (the user data tells the boot logic)
   * @param targets the load balancer's target group
   * @param events topic for launch/terminate/failure notifications
   */
  public record Props(
      IVpc vpc,
      ISecurityGroup securityGroup,
      IRole role,
      String instanceType,
      String amiParameter,
      int rootVolumeGib,
      UserData userData,
      String groupName,
      int minInstances,
      int maxInstances,
      int signalTimeoutMinutes,
      String signalLogicalId,
      IApplicationTargetGroup targets,
      ITopic events) {
    public Props {
      Objects.requireNonNull(vpc, "vpc");
      Objects.requireNonNull(securityGroup, "securityGroup");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(instanceType, "instanceType");
      Objects.requireNonNull(userData, "userData");
      Objects.requireNonNull(groupName, "groupName");
      Objects.requireNonNull(signalLogicalId, "signalLogicalId");
      Objects.requireNonNull(targets, "targets");
      Objects.requireNonNull(events, "events");
      if (amiParameter == null || !amiParameter.startsWith("/")) {
        throw new IllegalArgumentException("amiParameter is invalid: " + amiParameter);
      }
      if (rootVolumeGib < 8) {
        throw new IllegalArgumentException("rootVolumeGib is invalid: " + rootVolumeGib);
      }
      if (minInstances < 2) {
        throw new IllegalArgumentException(
            "minInstances is invalid: " + minInstances + ": at least 2, one per AZ");
      }
      if (maxInstances <= minInstances) {
        throw new IllegalArgumentException(
            "maxInstances is invalid: "
                + maxInstances
                + ": more than minInstances, or a rolling update cannot add its new instance first");
      }
      if (signalTimeoutMinutes < 5) {
        throw new IllegalArgumentException(
            "signalTimeoutMinutes is invalid: " + signalTimeoutMinutes);
      }
    }
  }

  private final AutoScalingGroup group;
  private final LaunchTemplate template;

  public ApiServerGroup(Construct scope, String id, Props p) {
    super(scope, id);
    template =
        LaunchTemplate.Builder.create(this, "LaunchTemplate")
            .instanceType(new InstanceType(p.instanceType()))
            .machineImage(
                MachineImage.fromSsmParameter(
                    p.amiParameter(),
                    SsmParameterImageOptions.builder().os(OperatingSystemType.LINUX).build()))
            .userData(p.userData())
            .role(p.role())
            .securityGroup(p.securityGroup())
            // Egress to AWS APIs through the instance's own public address (ADR 0014: cheaper than
            // a
            // NAT gateway or interface endpoints); the security group admits only the load
            // balancer.
            .associatePublicIpAddress(true)
            .blockDevices(
                List.of(
                    BlockDevice.builder()
                        .deviceName(AppServerGroup.ROOT_DEVICE)
                        .volume(
                            BlockDeviceVolume.ebs(
                                p.rootVolumeGib(),
                                EbsDeviceOptions.builder()
                                    .volumeType(EbsDeviceVolumeType.GP3)
                                    .encrypted(true)
                                    .deleteOnTermination(true)
                                    .build()))
                        .build()))
            .requireImdsv2(true)
            .httpTokens(LaunchTemplateHttpTokens.REQUIRED)
            .httpEndpoint(true)
            .httpPutResponseHopLimit(1)
            .detailedMonitoring(true)
            .build();
    Tags.of(template).add("Name", p.groupName());

    group =
        AutoScalingGroup.Builder.create(this, "Group")
            .autoScalingGroupName(p.groupName())
            .vpc(p.vpc())
            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
            .launchTemplate(template)
            .minCapacity(p.minInstances())
            .maxCapacity(p.maxInstances())
            .cooldown(Duration.minutes(5))
            .healthChecks(
                HealthChecks.withAdditionalChecks(
                    AdditionalHealthChecksOptions.builder()
                        .additionalTypes(List.of(AdditionalHealthCheckType.ELB))
                        .gracePeriod(Duration.minutes(p.signalTimeoutMinutes()))
                        .build()))
            .signals(
                Signals.waitForMinCapacity(
                    SignalsOptions.builder()
                        .timeout(Duration.minutes(p.signalTimeoutMinutes()))
                        .build()))
            .updatePolicy(
                UpdatePolicy.rollingUpdate(
                    RollingUpdateOptions.builder()
                        .maxBatchSize(1)
                        .minInstancesInService(p.minInstances())
                        .waitOnResourceSignals(true)
                        .pauseTime(Duration.minutes(p.signalTimeoutMinutes()))
                        .build()))
            .groupMetrics(
                List.of(
                    new GroupMetrics(
                        GroupMetric.IN_SERVICE_INSTANCES,
                        GroupMetric.DESIRED_CAPACITY,
                        GroupMetric.TERMINATING_INSTANCES,
                        GroupMetric.PENDING_INSTANCES)))
            .notifications(
                List.of(
                    NotificationConfiguration.builder()
                        .topic(p.events())
                        .scalingEvents(ScalingEvents.ALL)
                        .build()))
            .build();
    group.attachToApplicationTargetGroup(p.targets());
    ((CfnAutoScalingGroup) group.getNode().getDefaultChild())
        .overrideLogicalId(p.signalLogicalId());
  }

  public LaunchTemplate template() {
    return template;
  }

  public AutoScalingGroup group() {
    return group;
  }
}
