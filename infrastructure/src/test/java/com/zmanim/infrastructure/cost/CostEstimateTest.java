package com.zmanim.infrastructure.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.infrastructure.compute.ComputeStack;
import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.storage.StorageStack;
import com.zmanim.infrastructure.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cost estimate of the default compute and storage templates (synthesized once). */
class CostEstimateTest {

  private static final PriceTable PRICES = PriceTable.load();
  private static Map<String, JsonNode> templates;
  private static List<CostEstimate.Line> lines;

  @BeforeAll
  static void synth() {
    ObjectMapper mapper = new ObjectMapper();
    templates =
        Map.of(
            "ZmanimProdCompute",
                mapper.valueToTree(
                    Synth.template(
                            Synth.stack("Compute", ZmanimConfig.defaults(), ComputeStack::new))
                        .toJSON()),
            "ZmanimProdStorage",
                mapper.valueToTree(
                    Synth.template(
                            Synth.stack("Storage", ZmanimConfig.defaults(), StorageStack::new))
                        .toJSON()));
    lines = CostEstimate.of(templates, "eu-west-1", PRICES);
  }

  @Test
  void thePriceTableIsDatedAndCoversItsDefaultRegion() {
    assertThat(PRICES.recorded()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(PRICES.regions()).contains(PRICES.defaultRegion());
  }

  @Test
  void theInstanceIsPricedForAFullMonthOfTheTemplatesInstanceType() {
    assertThat(line("EC2 m7g.medium").monthly())
        .isCloseTo(730 * PRICES.instancePerHour("eu-west-1", "m7g.medium"), within(1e-9));
  }

  @Test
  void bothVolumesArePricedByGibAndTheBaselineIopsAndThroughputCostNothingExtra() {
    double perGb = PRICES.price("eu-west-1", "gp3PerGbMonth");
    assertThat(line("root volume").monthly()).isCloseTo(10 * perGb, within(1e-9));
    assertThat(line("data volume, 20 GiB").monthly()).isCloseTo(20 * perGb, within(1e-9));
    assertThat(lines).noneSatisfy(l -> assertThat(l.item()).contains("above"));
  }

  @Test
  void iopsAndThroughputAboveTheBaselineArePriced() {
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Object> volume =
        Map.of(
            "Type",
            "AWS::EC2::Volume",
            "Properties",
            Map.of("Size", 20, "VolumeType", "gp3", "Iops", 4000, "Throughput", 250));
    JsonNode compute = mapper.valueToTree(Map.of("Resources", Map.of("V", volume)));
    List<CostEstimate.Line> fast =
        CostEstimate.of(
            Map.of("XCompute", compute, "XStorage", mapper.createObjectNode()),
            "eu-west-1",
            PRICES);
    assertThat(fast)
        .anySatisfy(
            l -> {
              assertThat(l.item()).contains("IOPS above 3000");
              assertThat(l.quantity()).isEqualTo(1000);
            })
        .anySatisfy(
            l -> {
              assertThat(l.item()).contains("MiB/s above 125");
              assertThat(l.quantity()).isEqualTo(125);
            });
  }

  @Test
  void theAgentsCustomMetricsAreCountedFromItsConfiguration() {
    // cpu 2 + mem 1 + disk 1 x 2 paths (+ 2 aggregated by path) + net 2 x 2 devices + netstat 1.
    assertThat(line("CloudWatch agent metrics").quantity()).isEqualTo(12);
    assertThat(
            CostEstimate.agentMetricCount(
                """
        {"metrics": {"metrics_collected": {"disk": {"resources": ["/"], "measurement": ["used_percent", "inodes_free"]}},
         "aggregation_dimensions": [["AutoScalingGroupName", "path"]]}}""",
                PRICES))
        .isEqualTo(4);
  }

  @Test
  void theElasticIpIsChargedAsPublicIpv4ForEveryHour() {
    assertThat(line("Elastic IP").monthly()).isCloseTo(730 * 0.005, within(1e-9));
  }

  @Test
  void s3IsEstimatedFromTheTablesAssumedSizes() {
    assertThat(line("S3 Standard").quantity()).isEqualTo(PRICES.backupsGb() + PRICES.releasesGb());
  }

  @Test
  void
      theIdleWalArchiveIsTwoSegmentsPerHeartbeatEvery5MinutesKeptForTheWindowTheFullIntervalAndLifecycle() {
    // 288 heartbeats a day, 2 segments each of 0.7 KB (the table's measured assumptions);
    // 14-day window + 7-day full interval + 35 noncurrent days (over the 30-day lock): 56 days.
    CostEstimate.Line storage = line("WAL archive S3 storage, idle");
    assertThat(storage.item()).contains("2 segments per 5-min heartbeat").contains("kept 56 d");
    assertThat(storage.quantity()).isCloseTo(576 * 0.7 / (1024.0 * 1024.0) * 56, within(1e-9));
    assertThat(line("WAL archive S3 PUTs, idle").quantity()).isEqualTo(576 * 30.0);
    assertThat(line("WAL archive S3 PUTs, idle").monthly())
        .isCloseTo(17280 * 0.005 / 1000, within(1e-9));
  }

  @Test
  void atTheStatedWriteRateTheArchiveSwitchesEveryArchiveTimeoutAndIsNotInTheTotal() {
    List<CostEstimate.Line> busy = CostEstimate.atStatedWriteRate(templates, "eu-west-1", PRICES);
    assertThat(busy).hasSize(2);
    // 2 GiB/day is 128 segments, fewer than one switch every 30 s (2,880 a day).
    assertThat(busy.get(1).quantity()).isEqualTo(2880 * 30.0);
    assertThat(busy.get(0).quantity()).isCloseTo(2.0 / 3 * 56, within(1e-9));
    assertThat(lines)
        .noneMatch(l -> l.item().contains("WAL of WAL") || l.item().contains("GiB of WAL/day"));
  }

  @Test
  void dailySnapshotsArePricedForTheUsedDataPlusEachKeptDaysChanges() {
    assertThat(line("EBS snapshots by DLM").quantity()).isCloseTo(2 + 0.2 * 14, within(1e-9));
    assertThat(line("EBS snapshots by DLM").unitPrice()).isEqualTo(0.05);
  }

  @Test
  void objectLockKeepsNothingBeyondLifecycleWhileNoncurrentDaysOutlastTheLock() {
    assertThat(line("Object Lock: versions kept beyond lifecycle").item())
        .contains("30 d lock, 35 d noncurrent");
    assertThat(line("Object Lock: versions kept beyond lifecycle").monthly()).isZero();
  }

  @Test
  void theS3RequestMetricsFilterIsPricedAsCustomMetrics() {
    assertThat(line("S3 request metrics").quantity()).isEqualTo(10.0);
  }

  @Test
  void theTotalIsTheSumOfTheLinesAndTheReportShowsIt() {
    double total = CostEstimate.total(lines);
    assertThat(total)
        .isCloseTo(lines.stream().mapToDouble(CostEstimate.Line::monthly).sum(), within(1e-9));
    assertThat(total).isBetween(20.0, 100.0);
    assertThat(CostEstimate.format(lines, "eu-west-1", "", PRICES))
        .contains("recorded " + PRICES.recorded())
        .contains(String.format(java.util.Locale.ROOT, "%.2f", total));
  }

  @Test
  void aRegionWithoutPricesFailsNamingIt() {
    assertThatThrownBy(() -> CostEstimate.of(templates, "ap-south-2", PRICES))
        .hasMessageContaining("ap-south-2");
  }

  @Test
  void alarmsArePricedPerMetricTheyReadSoTheErrorRateAlarmCountsTwice() {
    int alarms =
        templates.get("ZmanimProdCompute").path("Resources").findParents("Type").stream()
            .filter(r -> "AWS::CloudWatch::Alarm".equals(r.path("Type").asText()))
            .toList()
            .size();
    assertThat(line("CloudWatch alarms").quantity()).isEqualTo(alarms + 1.0);
  }

  @Test
  void theOperatorsDashboardIsPricedOnce() {
    assertThat(line("CloudWatch dashboard").quantity()).isEqualTo(1.0);
    assertThat(line("CloudWatch dashboard").monthly())
        .isCloseTo(PRICES.price("eu-west-1", "cloudwatchDashboardPerMonth"), within(1e-9));
  }

  @Test
  void theApisMetricsArePricedAsFourPlusTwoPerRouteAndAMinutesLinesOfIngestion() {
    double routes = PRICES.assumption("apiRoutes");
    assertThat(line("API request metrics").quantity()).isEqualTo(4 + 2 * routes);
    assertThat(line("API metric lines' log ingestion").quantity())
        .isCloseTo(
            (1 + routes) * PRICES.assumption("apiEmfLineBytes") * 730 * 60 / 1e9, within(1e-9));
  }

  @Test
  void writingAMetricLinePerRequestIsPricedApartAtTheStatedRate() {
    List<CostEstimate.Line> perRequest =
        CostEstimate.apiMetricsPerRequest(templates, "eu-west-1", PRICES);
    assertThat(perRequest)
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.quantity())
                    .isCloseTo(
                        PRICES.assumption("apiRequestsPerSecond")
                            * 3600
                            * 730
                            * PRICES.assumption("apiEmfLineBytes")
                            / 1e9,
                        within(1e-9)));
    assertThat(lines).noneSatisfy(l -> assertThat(l.item()).contains("one per request"));
  }

  private static CostEstimate.Line line(String prefix) {
    return lines.stream()
        .filter(l -> l.item().contains(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cost line " + prefix + " in " + lines));
  }
}
