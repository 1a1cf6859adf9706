package com.zmanim.infrastructure.ha.compute;

import com.zmanim.infrastructure.compute.InstanceLaunch;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthCheckType;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthChecksOptions;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.HealthChecks;
import software.amazon.awscdk.services.autoscaling.RollingUpdateOptions;
import software.amazon.awscdk.services.autoscaling.Signals;
import software.amazon.awscdk.services.autoscaling.SignalsOptions;
import software.amazon.awscdk.services.autoscaling.UpdatePolicy;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
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
      InstanceLaunch.check(amiParameter, rootVolumeGib, signalTimeoutMinutes);
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
    }
  }

  private final AutoScalingGroup group;
  private final LaunchTemplate template;

  public ApiServerGroup(Construct scope, String id, Props p) {
    super(scope, id);
    template =
        InstanceLaunch.template(
            this,
            p.instanceType(),
            p.amiParameter(),
            p.userData(),
            p.role(),
            p.securityGroup(),
            p.rootVolumeGib(),
            p.groupName());

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
            .groupMetrics(InstanceLaunch.groupMetrics())
            .notifications(InstanceLaunch.notifications(p.events()))
            .build();
    group.attachToApplicationTargetGroup(p.targets());
    InstanceLaunch.signalLogicalId(group, p.signalLogicalId());
  }

  public LaunchTemplate template() {
    return template;
  }

  public AutoScalingGroup group() {
    return group;
  }
}
