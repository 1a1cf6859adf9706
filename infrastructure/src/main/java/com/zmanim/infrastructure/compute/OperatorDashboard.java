package com.zmanim.infrastructure.compute;

import com.zmanim.infrastructure.Ordered;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.constructs.Construct;

/**
 * The operator's one page: the API (request rate, p50/p99 latency, 5xx), the host (CPU, memory,
 * {@code /data} usage), PostgreSQL (connections, WAL archive age and queue), the backups (restic
 * and base backups per day, restore drill and verify results) and the state of every alarm. It
 * reads only metrics that exist already (contract §7; the API's from its EMF lines, docs/adr/0019).
 */
public final class OperatorDashboard extends Construct {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
  private static final int WIDTH = 8;
  private static final int HEIGHT = 6;

  private final Dashboard dashboard;

  /**
   * @param dashboardName CloudWatch dashboard name (letters, digits, - and _)
   * @param metricsNamespace the app's namespace (the API's EMF lines and the scripts' metrics)
   * @param environment the {@code Environment} dimension
   * @param groupName the Auto Scaling group (EC2's and the CloudWatch agent's dimension)
   * @param agentNamespace the CloudWatch agent's namespace
   * @param dataPath the data volume's mount point (the agent's {@code path} dimension)
   * @param alarms alarms whose state the page shows
   */
  public record Props(
      String dashboardName,
      String metricsNamespace,
      String environment,
      String groupName,
      String agentNamespace,
      String dataPath,
      List<IAlarm> alarms) {
    public Props {
      Objects.requireNonNull(dashboardName, "dashboardName");
      Objects.requireNonNull(metricsNamespace, "metricsNamespace");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(groupName, "groupName");
      Objects.requireNonNull(agentNamespace, "agentNamespace");
      Objects.requireNonNull(dataPath, "dataPath");
      alarms = List.copyOf(Objects.requireNonNull(alarms, "alarms"));
      if (!NAME.matcher(dashboardName).matches()) {
        throw new IllegalArgumentException(
            "dashboardName '" + dashboardName + "' must be 1-255 letters, digits, - or _");
      }
      if (!dataPath.startsWith("/")) {
        throw new IllegalArgumentException("dataPath '" + dataPath + "' must be an absolute path");
      }
      if (alarms.isEmpty()) {
        throw new IllegalArgumentException("alarms: the page shows at least one alarm's state");
      }
    }
  }

  public OperatorDashboard(Construct scope, String id, Props p) {
    super(scope, id);
    Duration minute = Duration.minutes(1);
    Duration day = Duration.days(1);
    Map<String, String> env = Map.of("Environment", p.environment());
    Map<String, String> group = Map.of("AutoScalingGroupName", p.groupName());

    Metric requests =
        metric(p.metricsNamespace(), "Requests", env, "Sum", minute, "requests / minute");
    Metric errors = metric(p.metricsNamespace(), "Errors5xx", env, "Sum", minute, "5xx / minute");
    IWidget rate = graph("API requests per minute", "requests", List.of(requests), List.of());
    IWidget latency =
        graph(
            "API latency (ms, per minute)",
            "ms",
            List.of(
                metric(p.metricsNamespace(), "LatencyP50", env, "Average", minute, "p50"),
                metric(p.metricsNamespace(), "LatencyP99", env, "Maximum", minute, "p99")),
            List.of(annotation(ApiAlarms.P99_THRESHOLD_MS, "p99 alarm")));
    IWidget fiveHundreds =
        graph(
            "API 5xx",
            "",
            List.of(
                errors,
                MathExpression.Builder.create()
                    .expression("100 * FILL(errors, 0) / requests")
                    .usingMetrics(
                        Ordered.<String, IMetric>map("errors", errors, "requests", requests))
                    .label("5xx % of requests")
                    .period(minute)
                    .build()),
            List.of(annotation(ApiAlarms.ERROR_RATE_PERCENT, "5xx % alarm (over 5 min)")));

    IWidget cpu =
        graph(
            "CPU (%)",
            "%",
            List.of(metric("AWS/EC2", "CPUUtilization", group, "Average", minute, "CPU")),
            List.of());
    IWidget memory =
        graph(
            "Memory used (%)",
            "%",
            List.of(
                metric(p.agentNamespace(), "mem_used_percent", group, "Average", minute, "memory")),
            List.of());
    IWidget disk =
        graph(
            p.dataPath() + " used (%)",
            "%",
            List.of(
                metric(
                    p.agentNamespace(),
                    "disk_used_percent",
                    Ordered.map("AutoScalingGroupName", p.groupName(), "path", p.dataPath()),
                    "Maximum",
                    Duration.minutes(5),
                    p.dataPath())),
            List.of(annotation(80, "alarm")));

    IWidget connections =
        graph(
            "PostgreSQL client connections",
            "connections",
            List.of(
                metric(
                    p.metricsNamespace(),
                    "PostgresConnections",
                    env,
                    "Maximum",
                    minute,
                    "connections")),
            List.of());
    IWidget wal =
        graph(
            "WAL archive age (s) and queue (bytes)",
            "s",
            List.of(
                metric(
                    p.metricsNamespace(),
                    "WalArchiveAgeSeconds",
                    env,
                    "Maximum",
                    minute,
                    "oldest waiting segment (s)")),
            List.of(annotation(AppAlarms.WAL_LAG_SECONDS, "alarm")),
            List.of(
                metric(
                    p.metricsNamespace(),
                    "WalArchiveQueueBytes",
                    env,
                    "Maximum",
                    minute,
                    "queue (bytes, right)")));
    IWidget backups =
        graph(
            "Backups per day",
            "count",
            List.of(
                metric(p.metricsNamespace(), "BackupSuccess", env, "Sum", day, "restic backups"),
                metric(
                    p.metricsNamespace(),
                    "BaseBackupSuccess",
                    env,
                    "Sum",
                    day,
                    "pgBackRest base backups")),
            List.of());
    IWidget drill =
        graph(
            "Restore drill and verify (1 = passed, 0 = failed)",
            "result",
            List.of(
                metric(
                    p.metricsNamespace(),
                    "RestoreDrillSuccess",
                    env,
                    "Minimum",
                    day,
                    "restore drill"),
                metric(
                    p.metricsNamespace(),
                    "VerifySuccess",
                    env,
                    "Minimum",
                    day,
                    "pgbackrest verify")),
            List.of());

    dashboard =
        Dashboard.Builder.create(this, "Dashboard")
            .dashboardName(p.dashboardName())
            .widgets(
                List.of(
                    List.of(
                        TextWidget.Builder.create()
                            .width(24)
                            .height(1)
                            .markdown(
                                "**"
                                    + p.environment()
                                    + "**: the API, the host, PostgreSQL and the backups. "
                                    + "API figures are the API's own per-minute aggregates (p99 of each minute).")
                            .build()),
                    List.of(rate, latency, fiveHundreds),
                    List.of(cpu, memory, disk),
                    List.of(connections, wal, backups),
                    List.of(
                        drill,
                        AlarmStatusWidget.Builder.create()
                            .title("Alarms")
                            .alarms(p.alarms())
                            .width(24 - WIDTH)
                            .height(HEIGHT)
                            .build())))
            .build();
    // The stack's tags reach the dashboard in aws-cdk-lib 2.263, but the pinned cfn-lint's schema
    // has
    // no Tags for AWS::CloudWatch::Dashboard and fails the template: a dashboard needs none (no
    // cost
    // allocation, no tag-based access here).
    ((CfnResource) dashboard.getNode().getDefaultChild()).addPropertyDeletionOverride("Tags");
  }

  public Dashboard dashboard() {
    return dashboard;
  }

  private static Metric metric(
      String namespace,
      String name,
      Map<String, String> dimensions,
      String statistic,
      Duration period,
      String label) {
    return Metric.Builder.create()
        .namespace(namespace)
        .metricName(name)
        .dimensionsMap(dimensions)
        .statistic(statistic)
        .period(period)
        .label(label)
        .build();
  }

  private static HorizontalAnnotation annotation(double value, String label) {
    return HorizontalAnnotation.builder().value(value).label(label).build();
  }

  private static IWidget graph(
      String title, String unit, List<IMetric> left, List<HorizontalAnnotation> annotations) {
    return graph(title, unit, left, annotations, List.of());
  }

  private static IWidget graph(
      String title,
      String unit,
      List<IMetric> left,
      List<HorizontalAnnotation> annotations,
      List<IMetric> right) {
    return GraphWidget.Builder.create()
        .title(title)
        .width(WIDTH)
        .height(HEIGHT)
        .left(left)
        .right(right)
        .leftAnnotations(annotations)
        .leftYAxis(
            software.amazon.awscdk.services.cloudwatch.YAxisProps.builder()
                .label(unit)
                .min(0)
                .showUnits(false)
                .build())
        .build();
  }
}
