package com.zmanim.infrastructure.compute;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The alarms on the API's own request metrics in ZmanimProdCompute (synthesized once). */
class ApiAlarmsTest {
  private static Template template;

  @BeforeAll
  static void synth() {
    template = Synth.template(Synth.stack("Compute", ZmanimConfig.defaults(), ComputeStack::new));
  }

  @Test
  void p99LatencyOver500MsFiveMinutesRunningAlarmsToTheTopic() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.ofEntries(
                Map.entry("AlarmName", "zmanim-prod-ApiLatencyP99High"),
                Map.entry("Namespace", "Zmanim"),
                Map.entry("MetricName", "LatencyP99"),
                Map.entry("Statistic", "Maximum"),
                Map.entry("Period", 60),
                Map.entry("Dimensions", List.of(Map.of("Name", "Environment", "Value", "prod"))),
                Map.entry("ComparisonOperator", "GreaterThanThreshold"),
                Map.entry("Threshold", 500),
                Map.entry("EvaluationPeriods", 5),
                Map.entry("DatapointsToAlarm", 5),
                Map.entry(
                    "AlarmActions",
                    List.of(
                        Match.objectLike(
                            Map.of("Ref", Match.stringLikeRegexp("AlarmsTopic.*"))))))));
  }

  @Test
  void aMinuteWithoutRequestsDoesNotBreachTheLatencyAlarm() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "AlarmName", "zmanim-prod-ApiLatencyP99High", "TreatMissingData", "notBreaching")));
  }

  @Test
  void theErrorRateAlarmIsTheShareOf5xxOverFiveMinutesWithAMinimumOfRequests() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "AlarmName",
                "zmanim-prod-ApiErrorRateHigh",
                "Threshold",
                5,
                "ComparisonOperator",
                "GreaterThanThreshold",
                "EvaluationPeriods",
                1,
                "Metrics",
                Match.arrayWith(
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "Expression",
                                "IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)")),
                        Match.objectLike(
                            Map.of(
                                "Id",
                                "errors",
                                "MetricStat",
                                Match.objectLike(
                                    Map.of(
                                        "Metric",
                                        Match.objectLike(
                                            Map.of(
                                                "Namespace", "Zmanim", "MetricName", "Errors5xx")),
                                        "Stat",
                                        "Sum",
                                        "Period",
                                        300)))))))));
  }
}
