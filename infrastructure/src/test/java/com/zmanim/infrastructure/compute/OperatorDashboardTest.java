package com.zmanim.infrastructure.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.Synth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The operator's dashboard in ZmanimProdCompute (synthesized once): one page with every signal. */
class OperatorDashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Template template;
  private static List<JsonNode> widgets;

  @BeforeAll
  static void synth() throws Exception {
    template = Synth.template(Synth.stack("Compute", ZmanimConfig.defaults(), ComputeStack::new));
    Map<String, Map<String, Object>> dashboards =
        Synth.resources(template, "AWS::CloudWatch::Dashboard");
    assertThat(dashboards).hasSize(1);
    JsonNode body =
        JSON.valueToTree(dashboards.values().iterator().next().get("Properties"))
            .path("DashboardBody");
    widgets = new ArrayList<>();
    JSON.readTree(flatten(body)).path("widgets").forEach(widgets::add);
  }

  /**
   * The body is a Fn::Join of strings and tokens (region, alarm ARNs): tokens become a placeholder.
   */
  private static String flatten(JsonNode body) {
    if (body.isTextual()) {
      return body.asText();
    }
    StringBuilder s = new StringBuilder();
    for (JsonNode part : body.path("Fn::Join").get(1)) {
      s.append(part.isTextual() ? part.asText() : "TOKEN");
    }
    return s.toString();
  }

  private static JsonNode widget(String title) {
    return widgets.stream()
        .filter(w -> w.at("/properties/title").asText().equals(title))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no widget '"
                        + title
                        + "' in "
                        + widgets.stream().map(w -> w.at("/properties/title").asText()).toList()));
  }

  /** Each metric line of a graph as text: [namespace, name, dim, value, ..., {options}]. */
  private static List<String> metrics(String title) {
    List<String> lines = new ArrayList<>();
    widget(title).at("/properties/metrics").forEach(m -> lines.add(m.toString()));
    return lines;
  }

  @Test
  void theDashboardIsNamedAfterTheEnvironment() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Dashboard",
        Match.objectLike(Map.of("DashboardName", "zmanim-prod-operator")));
  }

  @Test
  void theRequestRateIsTheApisRequestsSumPerMinuteInTheAppNamespace() {
    assertThat(metrics("API requests per minute"))
        .singleElement()
        .asString()
        .contains("\"Zmanim\",\"Requests\",\"Environment\",\"prod\"")
        .contains("\"stat\":\"Sum\"")
        .contains("\"period\":60");
  }

  @Test
  void latencyShowsTheApisP50AndP99() {
    assertThat(String.join("\n", metrics("API latency (ms, per minute)")))
        .contains("\"LatencyP50\",\"Environment\",\"prod\"")
        .contains("\"LatencyP99\",\"Environment\",\"prod\"");
  }

  @Test
  void fiveHundredsShowTheCountAndTheirShareOfRequests() {
    String lines = String.join("\n", metrics("API 5xx"));
    assertThat(lines).contains("\"Errors5xx\"").contains("100 * FILL(errors, 0) / requests");
  }

  @Test
  void theHostShowsCpuMemoryAndDataUsageOfTheGroup() {
    assertThat(metrics("CPU (%)"))
        .singleElement()
        .asString()
        .contains("\"AWS/EC2\",\"CPUUtilization\",\"AutoScalingGroupName\",\"zmanim-prod-app\"");
    assertThat(metrics("Memory used (%)"))
        .singleElement()
        .asString()
        .contains("\"CWAgent\",\"mem_used_percent\",\"AutoScalingGroupName\",\"zmanim-prod-app\"");
    assertThat(metrics("/data used (%)"))
        .singleElement()
        .asString()
        .contains("\"CWAgent\",\"disk_used_percent\"")
        .contains("\"path\",\"/data\"");
  }

  @Test
  void postgresqlShowsItsConnectionsAndTheWalArchiveAgeAndQueue() {
    assertThat(metrics("PostgreSQL client connections"))
        .singleElement()
        .asString()
        .contains("\"PostgresConnections\"");
    assertThat(String.join("\n", metrics("WAL archive age (s) and queue (bytes)")))
        .contains("\"WalArchiveAgeSeconds\"")
        .contains("\"WalArchiveQueueBytes\"")
        .contains("\"yAxis\":\"right\"");
  }

  @Test
  void backupsAndTheDrillResultAreShownPerDay() {
    assertThat(String.join("\n", metrics("Backups per day")))
        .contains("\"BackupSuccess\"")
        .contains("\"BaseBackupSuccess\"")
        .contains("\"period\":86400");
    assertThat(String.join("\n", metrics("Restore drill and verify (1 = passed, 0 = failed)")))
        .contains("\"RestoreDrillSuccess\"")
        .contains("\"VerifySuccess\"")
        .contains("\"stat\":\"Minimum\"");
  }

  @Test
  void theAlarmWidgetShowsEveryAlarmOfTheStack() {
    JsonNode alarms = widget("Alarms").at("/properties/alarms");
    assertThat(alarms.size()).isEqualTo(Synth.resources(template, "AWS::CloudWatch::Alarm").size());
  }

  @Test
  void aDashboardNameCloudWatchWouldRefuseIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                new OperatorDashboard.Props(
                    "zmanim prod", "Zmanim", "prod", "g", "CWAgent", "/data", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dashboardName");
  }
}
