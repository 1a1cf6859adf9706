package com.zmanim.infrastructure.compute;

import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.CfnAutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.Ec2HealthChecksOptions;
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
import software.amazon.awscdk.services.ec2.CfnLaunchTemplate;
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

  /** Root device name of Debian's arm64 AMIs, which the image is built from (contract §5). */
  public static final String ROOT_DEVICE = "/dev/xvda";

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
  }

  private final LaunchTemplate template;
  private final OwnedImage image;
  private final AutoScalingGroup group;

  public AppServerGroup(Construct scope, String id, Props props) {
    super(scope, id);
    template =
        LaunchTemplate.Builder.create(this, "LaunchTemplate")
            .instanceType(new InstanceType(props.instanceType()))
            // An AWS::SSM::Parameter::Value<AWS::EC2::Image::Id> parameter: CloudFormation reads
            // the AMI id at every deploy, so publishing a new image and deploying replaces the
            // instance.
            .machineImage(
                MachineImage.fromSsmParameter(
                    props.amiParameter(),
                    SsmParameterImageOptions.builder().os(OperatingSystemType.LINUX).build()))
            .userData(props.userData())
            .role(props.role())
            .securityGroup(props.securityGroup())
            // A public address at launch lets the boot logic reach the EC2 API (no NAT, no
            // interface
            // endpoints) to associate the Elastic IP, which then replaces it.
            .associatePublicIpAddress(true)
            .blockDevices(
                List.of(
                    BlockDevice.builder()
                        .deviceName(ROOT_DEVICE)
                        .volume(
                            BlockDeviceVolume.ebs(
                                props.rootVolumeGib(),
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
            // 1-minute EC2 metrics: the status-check alarm reacts in minutes, not a quarter hour.
            .detailedMonitoring(true)
            .build();
    // The image only if this account owns it (OwnedImage fails the deploy otherwise).
    image = new OwnedImage(this, "Image", new OwnedImage.Props(template.getImageId()));
    ((CfnLaunchTemplate) template.getNode().getDefaultChild())
        .addPropertyOverride("LaunchTemplateData.ImageId", image.imageId());
    Tags.of(template).add("Name", props.groupName());

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
                        .topic(props.events())
                        .scalingEvents(ScalingEvents.ALL)
                        .build()))
            .build();
    ((CfnAutoScalingGroup) group.getNode().getDefaultChild())
        .overrideLogicalId(props.signalLogicalId());
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
