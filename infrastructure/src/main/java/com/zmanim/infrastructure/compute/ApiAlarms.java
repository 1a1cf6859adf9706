package com.zmanim.infrastructure.compute;

import com.zmanim.infrastructure.Ordered;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * Alarms on the API's own request metrics (the embedded-metric-format lines it writes once a
 * minute, docs/adr/0019): p99 latency too high for five minutes in a row, and too large a share of
 * 5xx answers over five minutes. A minute without requests writes no line: missing data is not
 * breaching (the instance's absence has its own alarm).
 */
public final class ApiAlarms extends Construct {
  /**
   * The API's p99 (of a minute) above this, five minutes running, alarms; its p50 is about 1 ms.
   */
  public static final int P99_THRESHOLD_MS = 500;

  /** 5xx answers above this share of all requests over five minutes alarm... */
  public static final int ERROR_RATE_PERCENT = 5;

  /** ...when at least this many requests came (two failures of three are not an outage). */
  public static final int ERROR_RATE_MIN_REQUESTS = 20;

  private final List<Alarm> alarms;

  /**
   * @param metricsNamespace the API's namespace (config metricsNamespace)
   * @param environment the {@code Environment} dimension
   * @param alarmNamePrefix e.g. {@code zmanim-prod-}
   * @param topic where ALARM and OK go
   */
  public record Props(
      String metricsNamespace, String environment, String alarmNamePrefix, ITopic topic) {
    public Props {
      Objects.requireNonNull(metricsNamespace, "metricsNamespace");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(alarmNamePrefix, "alarmNamePrefix");
      Objects.requireNonNull(topic, "topic");
      if (metricsNamespace.isBlank() || environment.isBlank()) {
        throw new IllegalArgumentException("metricsNamespace and environment must not be blank");
      }
    }
  }

  public ApiAlarms(Construct scope, String id, Props props) {
    super(scope, id);
    Alarm latency =
        alarm(
            props,
            "ApiLatencyP99High",
            "The API's p99 latency was over "
                + P99_THRESHOLD_MS
                + " ms in each of the last 5 minutes",
            apiMetric(props, "LatencyP99", "Maximum", Duration.minutes(1)),
            P99_THRESHOLD_MS,
            5);
    MathExpression errorRate =
        MathExpression.Builder.create()
            .expression(
                "IF(requests >= "
                    + ERROR_RATE_MIN_REQUESTS
                    + ", 100 * FILL(errors, 0) / requests, 0)")
            .usingMetrics(
                Ordered.<String, IMetric>map(
                    "requests", apiMetric(props, "Requests", "Sum", Duration.minutes(5)),
                    "errors", apiMetric(props, "Errors5xx", "Sum", Duration.minutes(5))))
            .label("5xx % of requests")
            .period(Duration.minutes(5))
            .build();
    Alarm errors =
        alarm(
            props,
            "ApiErrorRateHigh",
            "Over "
                + ERROR_RATE_PERCENT
                + " % of the API's answers were 5xx in 5 minutes (at least "
                + ERROR_RATE_MIN_REQUESTS
                + " requests)",
            errorRate,
            ERROR_RATE_PERCENT,
            1);
    alarms = List.of(latency, errors);
  }

  /** A metric of the API's whole-service line (dimension Environment alone). */
  static Metric apiMetric(Props props, String name, String statistic, Duration period) {
    return Metric.Builder.create()
        .namespace(props.metricsNamespace())
        .metricName(name)
        .dimensionsMap(Map.of("Environment", props.environment()))
        .statistic(statistic)
        .period(period)
        .build();
  }

  public List<Alarm> alarms() {
    return alarms;
  }

  private Alarm alarm(
      Props props, String id, String description, IMetric metric, double threshold, int periods) {
    Alarm alarm =
        Alarm.Builder.create(this, id)
            .alarmName(props.alarmNamePrefix() + id)
            .alarmDescription(description)
            .metric(metric)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
            .threshold(threshold)
            .evaluationPeriods(periods)
            .datapointsToAlarm(periods)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .build();
    alarm.addAlarmAction(new SnsAction(props.topic()));
    alarm.addOkAction(new SnsAction(props.topic()));
    return alarm;
  }
}
