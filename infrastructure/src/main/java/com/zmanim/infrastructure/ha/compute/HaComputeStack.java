package com.zmanim.infrastructure.ha.compute;

import com.zmanim.infrastructure.Ordered;
import com.zmanim.infrastructure.compute.AgentConfigParameter;
import com.zmanim.infrastructure.compute.AlarmTopic;
import com.zmanim.infrastructure.compute.AppAlarms;
import com.zmanim.infrastructure.compute.AppLogGroups;
import com.zmanim.infrastructure.compute.BootUserData;
import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.ha.data.HaDataStack;
import com.zmanim.infrastructure.ha.network.HaNetworkStack;
import com.zmanim.infrastructure.nag.Acknowledge;
import com.zmanim.infrastructure.nag.CheckovSkip;
import com.zmanim.infrastructure.naming.Naming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupImportOptions;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * {@code ZmanimProdHaCompute} (profile {@code ha}): the load balancer CloudFront points at and the
 * Auto Scaling group of API instances (image role {@code api}) behind it, their role, the alarm
 * topic and alarms: no healthy target, fewer than the minimum, 5xx answers, Aurora at its ceiling.
 * Imports the ha network and data stacks' exports and the shared storage stack's releases bucket.
 */
public final class HaComputeStack extends Stack {

  /** Logical id of the Auto Scaling group: the boot logic signals it (contract §1). */
  public static final String SIGNAL_RESOURCE = "ApiServerGroup";

  public static final String HEALTH_PATH = "/health";

  /**
   * The API drains for at most 20 s on SIGTERM (contract §4); the load balancer waits that long.
   */
  public static final int DRAIN_SECONDS = 20;

  /**
   * The SSM parameters under the prefix an API instance reads, and no other (contract §3, §10): its
   * boot's secrets (zmanim-boot-api), the origin secret's predecessor while it is rotated, the
   * release (zmanim-release-fetch). The single instance's backup keys are not among them.
   */
  public static final List<String> API_PARAMETERS =
      List.of(
          "postgres-password",
          "redis-password",
          "origin-verify-secret",
          "origin-verify-secret-previous",
          "api-release");

  /** Read by zmanim-migrate-restore, only while config haMigrationRestore is set (ADR 0016). */
  public static final String MIGRATION_PARAMETER = "restic-password";

  public HaComputeStack(
      Construct scope, String id, StackProps props, ZmanimConfig config, Naming naming) {
    super(scope, id, props);
    naming.tag(this, "ha-compute");
    getTemplateOptions()
        .setDescription(
            "zmanim, profile ha: load balancer and Auto Scaling group of API instances");

    List<String> azs = new ArrayList<>();
    List<String> publicSubnets = new ArrayList<>();
    for (int i = 0; i < ZmanimConfig.AVAILABILITY_ZONES; i++) {
      azs.add(importValue(naming, Naming.haSubnetAzExport(i)));
      publicSubnets.add(importValue(naming, Naming.haSubnetIdExport("Public", i)));
    }
    IVpc vpc =
        Vpc.fromVpcAttributes(
            this,
            "Vpc",
            VpcAttributes.builder()
                .vpcId(importValue(naming, Naming.HA_VPC_ID))
                .availabilityZones(azs)
                .publicSubnetIds(publicSubnets)
                .build());
    Annotations.of(vpc)
        .acknowledgeWarning(
            "@aws-cdk/aws-ec2:noSubnetRouteTableId",
            "The compute stack only places the load balancer and the group in the subnets; it never reads their route tables.");
    ISecurityGroup albGroup =
        importedGroup("AlbGroup", importValue(naming, Naming.HA_ALB_SECURITY_GROUP_ID));
    ISecurityGroup appGroup =
        importedGroup("ApiGroup", importValue(naming, Naming.HA_APP_SECURITY_GROUP_ID));
    String releasesBucket = importValue(naming, Naming.RELEASES_BUCKET);
    String backupsBucket = importValue(naming, Naming.BACKUPS_BUCKET);
    String databaseSecretArn = importValue(naming, Naming.HA_DATABASE_SECRET_ARN);

    ApiLoadBalancer alb =
        new ApiLoadBalancer(
            this,
            "LoadBalancer",
            new ApiLoadBalancer.Props(
                vpc,
                albGroup,
                HaNetworkStack.LISTENER_PORT,
                config.apiPort(),
                HEALTH_PATH,
                naming.haResourceName("alb"),
                DRAIN_SECONDS));
    String accessLogsReason =
        "No load balancer access logs: CloudFront's standard logs record every request at "
            + "the edge and the API logs each one; a second copy would need its own bucket and add no signal.";
    Acknowledge.rule(alb, "AwsSolutions-ELB2", accessLogsReason);
    CheckovSkip.on(alb.loadBalancer(), "CKV_AWS_91", accessLogsReason);
    String httpReason =
        "CloudFront reaches the origin over HTTP, as it reaches the single instance today (ADR 0002, "
            + "ADR 0014): HTTPS to the load balancer needs a domain and an ACM certificate, which the configuration "
            + "does not have yet; the security group admits CloudFront's origin-facing servers only.";
    CheckovSkip.on(alb.listener(), "CKV_AWS_2", httpReason);
    CheckovSkip.on(alb.listener(), "CKV_AWS_103", httpReason);

    // The API's log (its EMF request metrics, ADR 0019) and the boot's, as a single instance's.
    AgentConfigParameter.Shipping shipping =
        AgentConfigParameter.ship(
            this,
            AppLogGroups.HA_SERVICES,
            naming::haLogGroupName,
            config.logRetentionDays(),
            naming.haAgentConfigParameterName(),
            AgentConfigParameter.HA_RESOURCE);

    List<String> parameters = new ArrayList<>(API_PARAMETERS);
    if (config.haMigrationRestore()) {
      parameters.add(MIGRATION_PARAMETER);
    }
    ApiInstanceRole role =
        new ApiInstanceRole(
            this,
            "Instance",
            new ApiInstanceRole.Props(
                Aws.STACK_ID,
                databaseSecretArn,
                releasesBucket,
                config.ssmPrefix(),
                parameters,
                config.sesIdentity(),
                config.notifyFrom(),
                config.alarmEmail(),
                config.metricsNamespace(),
                AppAlarms.AGENT_NAMESPACE,
                naming.haAgentConfigParameterName(),
                shipping.logs().groups().values().stream().map(LogGroup::getLogGroupArn).toList(),
                config.haMigrationRestore() ? Optional.of(backupsBucket) : Optional.empty()));
    String arn = "arn:<AWS::Partition>:";
    String regionAccount = "<AWS::Region>:<AWS::AccountId>:";
    Map<String, String> roleFindings =
        new LinkedHashMap<>(
            Ordered.map(
                "AwsSolutions-IAM5[Resource::*]",
                "cloudwatch:PutMetricData and the SSM agent's ssmmessages/ec2messages channel actions support no "
                    + "resource-level permissions; limited by cloudwatch:namespace and aws:RequestedRegion instead.",
                "AwsSolutions-IAM5[Resource::" + arn + "ec2:" + regionAccount + "instance/*]",
                "The SSM agent registers and heartbeats as its instance (UpdateInstanceInformation), whose id is "
                    + "not known before launch.",
                "AwsSolutions-IAM5[Resource::"
                    + arn
                    + "s3:::"
                    + naming.exportName(Naming.RELEASES_BUCKET)
                    + "/*]",
                "Read-only access to release artifacts, whose version paths are only known at release time."));
    roleFindings.put(
        "AwsSolutions-IAM5[Resource::" + arn + "kms:" + regionAccount + "key/*]",
        "The account's aws/ssm key id is not known at synth; kms:Decrypt only via SSM (kms:ViaService) for "
            + "the parameters it names (kms:EncryptionContext:PARAMETER_ARN).");
    if (config.haMigrationRestore()) {
      roleFindings.put(
          "AwsSolutions-IAM5[Resource::"
              + arn
              + "s3:::"
              + naming.exportName(Naming.BACKUPS_BUCKET)
              + "/"
              + Naming.RESTIC_PREFIX
              + "*]",
          "Only while haMigrationRestore is set (the migration, ADR 0016): "
              + "read-only access to the restic repository's objects, whose names restic chooses.");
    }
    Acknowledge.rules(role, roleFindings);

    AlarmTopic topic =
        new AlarmTopic(
            this,
            "Alarms",
            new AlarmTopic.Props(naming.haResourceName("alarms"), config.alarmEmail()));
    String topicReason =
        "Not encrypted with KMS: CloudWatch alarms cannot publish to a topic encrypted with the "
            + "AWS-managed SNS key, and the messages carry only alarm names and states, no data.";
    Acknowledge.rule(topic, "AwsSolutions-SNS2", topicReason);
    CheckovSkip.on(topic.topic(), "CKV_AWS_26", topicReason);

    Map<String, String> userData = new LinkedHashMap<>();
    userData.put("Environment", config.environmentName());
    userData.put("SsmPrefix", config.ssmPrefix());
    userData.put("ReleasesBucket", releasesBucket);
    userData.put("BackupsBucket", backupsBucket);
    userData.put("SignalResource", SIGNAL_RESOURCE);
    userData.put("NotifyFrom", config.notifyFrom());
    userData.put("NotifyTo", config.alarmEmail());
    userData.put("MetricsNamespace", config.metricsNamespace());
    userData.put("AgentConfigParameter", shipping.agentConfig().parameterName());
    userData.put("DatabaseHost", importValue(naming, Naming.HA_DATABASE_ENDPOINT));
    userData.put("DatabasePort", importValue(naming, Naming.HA_DATABASE_PORT));
    userData.put("DatabaseSecretArn", databaseSecretArn);
    userData.put("CacheHost", importValue(naming, Naming.HA_CACHE_ENDPOINT));
    userData.put("CachePort", importValue(naming, Naming.HA_CACHE_PORT));
    userData.put("ApiPort", Integer.toString(config.apiPort()));

    ApiServerGroup servers =
        new ApiServerGroup(
            this,
            "Servers",
            new ApiServerGroup.Props(
                vpc,
                appGroup,
                role.role(),
                config.instanceType(),
                config.amiIdParameter(),
                config.rootVolumeGib(),
                BootUserData.render(USER_DATA, userData),
                naming.haAutoScalingGroupName(),
                config.haMinInstances(),
                config.haMaxInstances(),
                config.bootTimeoutMinutes(),
                SIGNAL_RESOURCE,
                alb.targets(),
                topic.topic()));
    CheckovSkip.on(
        servers.template(),
        "CKV_AWS_88",
        "A public IPv4 per instance is its egress to AWS APIs, cheaper than NAT gateways or interface endpoints "
            + "(ADR 0014); the instances' security group admits only the load balancer's group, no SSH.");

    MetricOptions perMinute =
        MetricOptions.builder().statistic("Minimum").period(Duration.minutes(1)).build();
    alarm(
        naming,
        topic,
        "NoHealthyApi",
        "No API instance passes the load balancer's /health check for 2 minutes",
        alb.targets().getMetrics().healthyHostCount(perMinute),
        ComparisonOperator.LESS_THAN_THRESHOLD,
        1,
        2,
        TreatMissingData.BREACHING);
    // Below the minimum for 10 minutes: an AZ or an instance is lost and not coming back by itself
    // (a rolling update adds instances first, so it never dips below).
    alarm(
        naming,
        topic,
        "ApiBelowMinimum",
        "Fewer healthy API instances than haMinInstances for 10 minutes",
        alb.targets().getMetrics().healthyHostCount(perMinute),
        ComparisonOperator.LESS_THAN_THRESHOLD,
        config.haMinInstances(),
        10,
        TreatMissingData.BREACHING);
    alarm(
        naming,
        topic,
        "ApiErrors",
        "The API answered 10 or more 5xx in 5 minutes",
        alb.targets()
            .getMetrics()
            .httpCodeTarget(
                HttpCodeTarget.TARGET_5XX_COUNT,
                MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build()),
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        10,
        1,
        TreatMissingData.NOT_BREACHING);
    // Aurora pinned at its ceiling for 15 minutes: queries queue; raise HaDataStack.MAX_ACU (or go
    // provisioned).
    alarm(
        naming,
        topic,
        "DatabaseAtMaxCapacity",
        "Aurora Serverless v2 at its maximum capacity for 15 minutes",
        Metric.Builder.create()
            .namespace("AWS/RDS")
            .metricName("ServerlessDatabaseCapacity")
            .dimensionsMap(Map.of("DBClusterIdentifier", naming.haResourceName("db")))
            .statistic("Minimum")
            .period(Duration.minutes(5))
            .build(),
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        HaDataStack.MAX_ACU,
        3,
        TreatMissingData.NOT_BREACHING);

    output(
        "LoadBalancerDnsName",
        alb.loadBalancer().getLoadBalancerDnsName(),
        "Profile ha: CloudFront's origin (HTTP on port " + HaNetworkStack.LISTENER_PORT + ")");
    output(
        "AutoScalingGroupName",
        servers.group().getAutoScalingGroupName(),
        "Profile ha: the API instances");
    output(
        "AlarmTopicArn", topic.topic().getTopicArn(), "Profile ha: alarms and Auto Scaling events");
  }

  /** The ha profile's user data resource (role api). */
  public static final String USER_DATA = "ha/user-data.sh";

  private void alarm(
      Naming naming,
      AlarmTopic topic,
      String id,
      String description,
      IMetric metric,
      ComparisonOperator op,
      double threshold,
      int periods,
      TreatMissingData missing) {
    Alarm alarm =
        Alarm.Builder.create(this, id)
            .alarmName(naming.haResourceName(id))
            .alarmDescription(description)
            .metric(metric)
            .comparisonOperator(op)
            .threshold(threshold)
            .evaluationPeriods(periods)
            .datapointsToAlarm(periods)
            .treatMissingData(missing)
            .build();
    alarm.addAlarmAction(new SnsAction(topic.topic()));
    alarm.addOkAction(new SnsAction(topic.topic()));
  }

  private String importValue(Naming naming, String export) {
    return Fn.importValue(naming.exportName(export));
  }

  private ISecurityGroup importedGroup(String id, String groupId) {
    // Immutable: every rule is the network stack's, so none can be added here by accident.
    return SecurityGroup.fromSecurityGroupId(
        this, id, groupId, SecurityGroupImportOptions.builder().mutable(false).build());
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }
}
