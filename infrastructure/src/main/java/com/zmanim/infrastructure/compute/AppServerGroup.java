package com.zmanim.infrastructure.compute;

import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.Ec2HealthChecksOptions;
import software.amazon.awscdk.services.autoscaling.HealthChecks;
import software.amazon.awscdk.services.autoscaling.RollingUpdateOptions;
import software.amazon.awscdk.services.autoscaling.Signals;
import software.amazon.awscdk.services.autoscaling.SignalsOptions;
import software.amazon.awscdk.services.autoscaling.UpdatePolicy;
import software.amazon.awscdk.services.ec2.CfnLaunchTemplate;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The instance, as an Auto Scaling group of exactly one in the data volume's AZ, launched from a
 * launch template. A change of image (or of anything in the template) is a rolling update that
 * terminates the old instance first (max size 1 leaves no room for a second one, and
 * MinInstancesInService 0 allows none in service), then waits for the new instance's signal, sent
 * by the boot logic after the API's {@code /health} answers; without it the update fails and
 * CloudFormation rolls back to the previous launch template version. If the instance dies, the
 * group replaces it with no deploy.
 */
public final class AppServerGroup extends Construct {

  /**
   * @param vpc the VPC (imported)
   * @param securityGroup the instance's group (imported)
   * @param role the instance role (the template creates its instance profile)
   * @param instanceType e.g. {@code m7g.medium}
   * @param amiParameter SSM parameter holding the AMI id, resolved at every deploy
   * @param rootVolumeGib root volume size
   * @param userData the boot hand-over
   * @param groupName fixed name: IAM conditions and alarm dimensions use it
   * @param signalTimeoutMinutes how long a new instance has to signal
   * @param signalLogicalId logical id of the group (the user data tells the boot logic)
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
      int signalTimeoutMinutes,
      String signalLogicalId,
      ITopic events) {
    public Props {
      Objects.requireNonNull(vpc, "vpc");
      Objects.requireNonNull(securityGroup, "securityGroup");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(instanceType, "instanceType");
      Objects.requireNonNull(userData, "userData");
      Objects.requireNonNull(groupName, "groupName");
      Objects.requireNonNull(signalLogicalId, "signalLogicalId");
      Objects.requireNonNull(events, "events");
      InstanceLaunch.check(amiParameter, rootVolumeGib, signalTimeoutMinutes);
    }
  }

  private final LaunchTemplate template;
  private final OwnedImage image;
  private final AutoScalingGroup group;

  public AppServerGroup(Construct scope, String id, Props props) {
    super(scope, id);
    template =
        InstanceLaunch.template(
            this,
            props.instanceType(),
            props.amiParameter(),
            props.userData(),
            props.role(),
            props.securityGroup(),
            props.rootVolumeGib(),
            props.groupName());
    // The image only if this account owns it (OwnedImage fails the deploy otherwise).
    image = new OwnedImage(this, "Image", new OwnedImage.Props(template.getImageId()));
    ((CfnLaunchTemplate) template.getNode().getDefaultChild())
        .addPropertyOverride("LaunchTemplateData.ImageId", image.imageId());

    group =
        AutoScalingGroup.Builder.create(this, "Group")
            .autoScalingGroupName(props.groupName())
            .vpc(props.vpc())
            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
            .launchTemplate(template)
            .minCapacity(1)
            .maxCapacity(1)
            .desiredCapacity(1)
            .cooldown(Duration.minutes(5))
            .healthChecks(
                HealthChecks.ec2(
                    Ec2HealthChecksOptions.builder()
                        .gracePeriod(Duration.minutes(props.signalTimeoutMinutes()))
                        .build()))
            .signals(
                Signals.waitForCount(
                    1,
                    SignalsOptions.builder()
                        .timeout(Duration.minutes(props.signalTimeoutMinutes()))
                        .build()))
            .updatePolicy(
                UpdatePolicy.rollingUpdate(
                    RollingUpdateOptions.builder()
                        .maxBatchSize(1)
                        .minInstancesInService(0)
                        .waitOnResourceSignals(true)
                        .pauseTime(Duration.minutes(props.signalTimeoutMinutes()))
                        .build()))
            .groupMetrics(InstanceLaunch.groupMetrics())
            .notifications(InstanceLaunch.notifications(props.events()))
            .build();
    InstanceLaunch.signalLogicalId(group, props.signalLogicalId());
  }

  public AutoScalingGroup group() {
    return group;
  }

  public OwnedImage image() {
    return image;
  }

  public LaunchTemplate template() {
    return template;
  }
}
