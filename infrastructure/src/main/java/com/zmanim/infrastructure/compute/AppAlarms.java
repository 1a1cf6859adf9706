package com.zmanim.infrastructure.compute;

import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The alarms, each sending ALARM and OK to the topic: the instance is not in service or fails its
 * status checks, {@code /data} is over 80 % full, no successful backup in 26 h, the restore drill
 * failed or has not reported in 7 days (contract §7).
 */
public final class AppAlarms extends Construct {

  /** Namespace of the CloudWatch agent's metrics (resource compute/cloudwatch-agent.json). */
  public static final String AGENT_NAMESPACE = "CWAgent";
  /** The dimensions the agent aggregates disk metrics by, and that the /data alarm uses. */
  public static final String DATA_PATH = "/data";

  /**
   * @param groupName         the Auto Scaling group's name
   * @param environment       value of the {@code Environment} dimension of the custom metrics
   * @param metricsNamespace  namespace of the custom metrics
   * @param alarmNamePrefix   e.g. {@code zmanim-prod-}
   * @param topic             where ALARM and OK go
   */
  public record Props(String groupName, String environment, String metricsNamespace, String alarmNamePrefix,
      ITopic topic) {
    public Props {
      Objects.requireNonNull(groupName, "groupName");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(metricsNamespace, "metricsNamespace");
      Objects.requireNonNull(alarmNamePrefix, "alarmNamePrefix");
      Objects.requireNonNull(topic, "topic");
    }
  }

  public AppAlarms(Construct scope, String id, Props props) {
    super(scope, id);
    Map<String, String> group = Map.of("AutoScalingGroupName", props.groupName());
    Map<String, String> env = Map.of("Environment", props.environment());

    // A replacement leaves the group without an in-service instance for a minute or two; five
    // minutes in a row means it is not coming back by itself. No data = metrics collection broken.
    alarm(props, "InstanceNotInService", "No in-service instance in the group for 5 minutes (or no group metrics)",
        metric("AWS/AutoScaling", "GroupInServiceInstances", group, "Minimum", Duration.minutes(1)),
        ComparisonOperator.LESS_THAN_THRESHOLD, 1, 5, TreatMissingData.BREACHING);
    alarm(props, "InstanceStatusCheckFailed", "The instance fails its EC2 system or instance status checks",
        metric("AWS/EC2", "StatusCheckFailed", group, "Maximum", Duration.minutes(1)),
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1, 3, TreatMissingData.NOT_BREACHING);
    alarm(props, "DataVolumeOver80Percent", "/data is over 80 % full (or the CloudWatch agent stopped reporting it)",
        metric(AGENT_NAMESPACE, "disk_used_percent", Map.of("AutoScalingGroupName", props.groupName(), "path", DATA_PATH),
            "Maximum", Duration.minutes(5)),
        ComparisonOperator.GREATER_THAN_THRESHOLD, 80, 3, TreatMissingData.BREACHING);
    alarm(props, "BackupMissing", "No successful backup (BackupSuccess) in the last 26 hours",
        metric(props.metricsNamespace(), "BackupSuccess", env, "Sum", Duration.hours(26)),
        ComparisonOperator.LESS_THAN_THRESHOLD, 1, 1, TreatMissingData.BREACHING);
    alarm(props, "RestoreDrillFailed", "The last restore drill failed (RestoreDrillSuccess = 0)",
        metric(props.metricsNamespace(), "RestoreDrillSuccess", env, "Minimum", Duration.days(1)),
        ComparisonOperator.LESS_THAN_THRESHOLD, 1, 1, TreatMissingData.NOT_BREACHING);
    // CloudWatch caps an alarm's window at 7 days (Period x EvaluationPeriods <= 604,800 s), so the
    // "no drill in 8 days" of the contract is this: no RestoreDrillSuccess at all in 7 days.
    alarm(props, "RestoreDrillMissing", "No restore drill reported in 7 days (CloudWatch's longest alarm window)",
        metric(props.metricsNamespace(), "RestoreDrillSuccess", env, "SampleCount", Duration.days(7)),
        ComparisonOperator.LESS_THAN_THRESHOLD, 1, 1, TreatMissingData.BREACHING);
  }

  private static Metric metric(String namespace, String name, Map<String, String> dimensions, String statistic,
      Duration period) {
    return Metric.Builder.create()
        .namespace(namespace)
        .metricName(name)
        .dimensionsMap(dimensions)
        .statistic(statistic)
        .period(period)
        .build();
  }

  private void alarm(Props props, String id, String description, Metric metric, ComparisonOperator op,
      double threshold, int periods, TreatMissingData missing) {
    Alarm alarm = Alarm.Builder.create(this, id)
        .alarmName(props.alarmNamePrefix() + id)
        .alarmDescription(description)
        .metric(metric)
        .comparisonOperator(op)
        .threshold(threshold)
        .evaluationPeriods(periods)
        .datapointsToAlarm(periods)
        .treatMissingData(missing)
        .build();
    alarm.addAlarmAction(new SnsAction(props.topic()));
    alarm.addOkAction(new SnsAction(props.topic()));
  }
}
