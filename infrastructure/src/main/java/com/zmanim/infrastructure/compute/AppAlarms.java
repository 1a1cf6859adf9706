package com.zmanim.infrastructure.compute;

import com.zmanim.infrastructure.Ordered;
import java.util.ArrayList;
import java.util.List;
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
 * failed or has not reported in 7 days (contract §7); for point-in-time recovery: WAL archiving
 * lagging, WAL dropped, no base backup in 26 h, verify failed or silent. All of those read metrics
 * the instance publishes, which a compromised instance could keep green; one more reads AWS's own
 * measurement: S3 request metrics of the pgBackRest prefix (no PUT for 30 minutes = archiving
 * stopped, whatever the host says).
 */
public final class AppAlarms extends Construct {

  /** Namespace of the CloudWatch agent's metrics (resource compute/cloudwatch-agent.json). */
  public static final String AGENT_NAMESPACE = "CWAgent";

  /** The dimensions the agent aggregates disk metrics by, and that the /data alarm uses. */
  public static final String DATA_PATH = "/data";

  /**
   * @param groupName the Auto Scaling group's name
   * @param environment value of the {@code Environment} dimension of the custom metrics
   * @param metricsNamespace namespace of the custom metrics
   * @param alarmNamePrefix e.g. {@code zmanim-prod-}
   * @param topic where ALARM and OK go
   * @param backupsBucket the backups bucket's name (dimension of its S3 request metrics)
   * @param walMetricsFilter the id of its request-metrics filter on the pgBackRest prefix
   */
  public record Props(
      String groupName,
      String environment,
      String metricsNamespace,
      String alarmNamePrefix,
      ITopic topic,
      String backupsBucket,
      String walMetricsFilter) {
    public Props {
      Objects.requireNonNull(backupsBucket, "backupsBucket");
      Objects.requireNonNull(walMetricsFilter, "walMetricsFilter");
      Objects.requireNonNull(groupName, "groupName");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(metricsNamespace, "metricsNamespace");
      Objects.requireNonNull(alarmNamePrefix, "alarmNamePrefix");
      Objects.requireNonNull(topic, "topic");
    }
  }

  private final List<Alarm> alarms = new ArrayList<>();

  public AppAlarms(Construct scope, String id, Props props) {
    super(scope, id);
    Map<String, String> group = Map.of("AutoScalingGroupName", props.groupName());
    Map<String, String> env = Map.of("Environment", props.environment());

    // A replacement leaves the group without an in-service instance for a minute or two; five
    // minutes in a row means it is not coming back by itself. No data = metrics collection broken.
    alarm(
        props,
        "InstanceNotInService",
        "No in-service instance in the group for 5 minutes (or no group metrics)",
        metric("AWS/AutoScaling", "GroupInServiceInstances", group, "Minimum", Duration.minutes(1)),
        ComparisonOperator.LESS_THAN_THRESHOLD,
        1,
        5,
        TreatMissingData.BREACHING);
    alarm(
        props,
        "InstanceStatusCheckFailed",
        "The instance fails its EC2 system or instance status checks",
        metric("AWS/EC2", "StatusCheckFailed", group, "Maximum", Duration.minutes(1)),
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        1,
        3,
        TreatMissingData.NOT_BREACHING);
    alarm(
        props,
        "DataVolumeOver80Percent",
        "/data is over 80 % full (or the CloudWatch agent stopped reporting it)",
        metric(
            AGENT_NAMESPACE,
            "disk_used_percent",
            Ordered.map("AutoScalingGroupName", props.groupName(), "path", DATA_PATH),
            "Maximum",
            Duration.minutes(5)),
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        80,
        3,
        TreatMissingData.BREACHING);
    alarm(
        props,
        "BackupMissing",
        "No successful backup (BackupSuccess) in the last 26 hours",
        metric(props.metricsNamespace(), "BackupSuccess", env, "Sum", Duration.hours(26)),
        ComparisonOperator.LESS_THAN_THRESHOLD,
        1,
        1,
        TreatMissingData.BREACHING);
    alarm(
        props,
        "RestoreDrillFailed",
        "The last restore drill failed (RestoreDrillSuccess = 0)",
        metric(props.metricsNamespace(), "RestoreDrillSuccess", env, "Minimum", Duration.days(1)),
        ComparisonOperator.LESS_THAN_THRESHOLD,
        1,
        1,
        TreatMissingData.NOT_BREACHING);
    // CloudWatch caps an alarm's window at 7 days (Period x EvaluationPeriods <= 604,800 s), so the
    // "no drill in 8 days" of the contract is this: no RestoreDrillSuccess at all in 7 days.
    alarm(
        props,
        "RestoreDrillMissing",
        "No restore drill reported in 7 days (CloudWatch's longest alarm window)",
        metric(
            props.metricsNamespace(), "RestoreDrillSuccess", env, "SampleCount", Duration.days(7)),
        ComparisonOperator.LESS_THAN_THRESHOLD,
        1,
        1,
        TreatMissingData.BREACHING);

    // Point-in-time recovery (the instance reports WalArchiveAgeSeconds every minute, 0 when no
    // segment waits): five minutes of a segment waiting, or of no report, is a lost RPO.
    alarm(
        props,
        "WalArchiveLagging",
        "WAL waits for the archive over "
            + WAL_LAG_SECONDS
            + " s for 5 minutes (or the instance stopped reporting it)",
        metric(
            props.metricsNamespace(), "WalArchiveAgeSeconds", env, "Maximum", Duration.minutes(1)),
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        WAL_LAG_SECONDS,
        5,
        TreatMissingData.BREACHING);
    alarm(
        props,
        "WalDropped",
        "pgBackRest dropped WAL (archive-push-queue-max): the PITR chain is broken "
            + "until the next full backup",
        metric(props.metricsNamespace(), "WalDropped", env, "Sum", Duration.minutes(5)),
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        1,
        1,
        TreatMissingData.NOT_BREACHING);
    alarm(
        props,
        "BaseBackupMissing",
        "No successful base backup (BaseBackupSuccess) in the last 26 hours",
        metric(props.metricsNamespace(), "BaseBackupSuccess", env, "Sum", Duration.hours(26)),
        ComparisonOperator.LESS_THAN_THRESHOLD,
        1,
        1,
        TreatMissingData.BREACHING);
    alarm(
        props,
        "VerifyFailed",
        "The last pgBackRest verify failed (VerifySuccess = 0)",
        metric(props.metricsNamespace(), "VerifySuccess", env, "Minimum", Duration.days(1)),
        ComparisonOperator.LESS_THAN_THRESHOLD,
        1,
        1,
        TreatMissingData.NOT_BREACHING);
    alarm(
        props,
        "VerifyMissing",
        "No pgBackRest verify reported in 7 days (CloudWatch's longest alarm window)",
        metric(props.metricsNamespace(), "VerifySuccess", env, "SampleCount", Duration.days(7)),
        ComparisonOperator.LESS_THAN_THRESHOLD,
        1,
        1,
        TreatMissingData.BREACHING);
    // AWS's own count of PUTs under pgbackrest/ (S3 publishes request metrics only for periods with
    // requests: missing = none = breaching). The instance writes WAL at least every few minutes
    // even when idle (a heartbeat), so half an hour without a PUT means archiving has stopped.
    alarm(
        props,
        "WalArchivePutsStopped",
        "S3 saw no PUT under the pgBackRest prefix for "
            + WAL_PUT_SILENCE_MINUTES
            + " minutes: WAL archiving has stopped (AWS's measurement, not the host's)",
        metric(
            "AWS/S3",
            "PutRequests",
            Ordered.map("BucketName", props.backupsBucket(), "FilterId", props.walMetricsFilter()),
            "Sum",
            Duration.minutes(5)),
        ComparisonOperator.LESS_THAN_THRESHOLD,
        1,
        WAL_PUT_SILENCE_MINUTES / 5,
        TreatMissingData.BREACHING);
  }

  /** WAL older than this (seconds, waiting for the archive) is a lost RPO. */
  static final int WAL_LAG_SECONDS = 300;

  /** Minutes without any PUT under the pgBackRest prefix, as S3 counts them, before it alarms. */
  static final int WAL_PUT_SILENCE_MINUTES = 30;

  private static Metric metric(
      String namespace,
      String name,
      Map<String, String> dimensions,
      String statistic,
      Duration period) {
    return Metric.Builder.create()
        .namespace(namespace)
        .metricName(name)
        .dimensionsMap(dimensions)
        .statistic(statistic)
        .period(period)
        .build();
  }

  private void alarm(
      Props props,
      String id,
      String description,
      Metric metric,
      ComparisonOperator op,
      double threshold,
      int periods,
      TreatMissingData missing) {
    Alarm alarm =
        Alarm.Builder.create(this, id)
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
    alarms.add(alarm);
  }

  /** Every alarm made here, in the order made (the dashboard shows their states). */
  public List<Alarm> alarms() {
    return List.copyOf(alarms);
  }
}
