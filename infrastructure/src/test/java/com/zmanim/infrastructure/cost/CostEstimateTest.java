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
    templates = Map.of(
        "ZmanimProdCompute", mapper.valueToTree(Synth.template(Synth.stack("Compute", ZmanimConfig.defaults(), ComputeStack::new)).toJSON()),
        "ZmanimProdStorage", mapper.valueToTree(Synth.template(Synth.stack("Storage", ZmanimConfig.defaults(), StorageStack::new)).toJSON()));
    lines = CostEstimate.of(templates, "eu-west-1", PRICES);
  }

  @Test
  void thePriceTableIsDatedAndCoversItsDefaultRegion() {
    assertThat(PRICES.recorded()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(PRICES.regions()).contains(PRICES.defaultRegion());
  }

  @Test
  void theInstanceIsPricedForAFullMonthOfTheTemplatesInstanceType() {
    assertThat(line("EC2 m7g.medium").monthly()).isCloseTo(730 * PRICES.instancePerHour("eu-west-1", "m7g.medium"), within(1e-9));
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
    Map<String, Object> volume = Map.of("Type", "AWS::EC2::Volume",
        "Properties", Map.of("Size", 20, "VolumeType", "gp3", "Iops", 4000, "Throughput", 250));
    JsonNode compute = mapper.valueToTree(Map.of("Resources", Map.of("V", volume)));
    List<CostEstimate.Line> fast = CostEstimate.of(Map.of("XCompute", compute, "XStorage", mapper.createObjectNode()),
        "eu-west-1", PRICES);
    assertThat(fast).anySatisfy(l -> {
      assertThat(l.item()).contains("IOPS above 3000");
      assertThat(l.quantity()).isEqualTo(1000);
    }).anySatisfy(l -> {
      assertThat(l.item()).contains("MiB/s above 125");
      assertThat(l.quantity()).isEqualTo(125);
    });
  }

  @Test
  void theAgentsCustomMetricsAreCountedFromItsConfiguration() {
    // cpu 2 + mem 1 + disk 1 x 2 paths (+ 2 aggregated by path) + net 2 x 2 devices + netstat 1.
    assertThat(line("CloudWatch agent metrics").quantity()).isEqualTo(12);
    assertThat(CostEstimate.agentMetricCount("""
        {"metrics": {"metrics_collected": {"disk": {"resources": ["/"], "measurement": ["used_percent", "inodes_free"]}},
         "aggregation_dimensions": [["AutoScalingGroupName", "path"]]}}""", PRICES)).isEqualTo(4);
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
  void theTotalIsTheSumOfTheLinesAndTheReportShowsIt() {
    double total = CostEstimate.total(lines);
    assertThat(total).isCloseTo(lines.stream().mapToDouble(CostEstimate.Line::monthly).sum(), within(1e-9));
    assertThat(total).isBetween(20.0, 100.0);
    assertThat(CostEstimate.format(lines, "eu-west-1", "", PRICES)).contains("recorded " + PRICES.recorded())
        .contains(String.format(java.util.Locale.ROOT, "%.2f", total));
  }

  @Test
  void aRegionWithoutPricesFailsNamingIt() {
    assertThatThrownBy(() -> CostEstimate.of(templates, "ap-south-2", PRICES)).hasMessageContaining("ap-south-2");
  }

  private static CostEstimate.Line line(String prefix) {
    return lines.stream().filter(l -> l.item().contains(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no cost line " + prefix + " in " + lines));
  }
}
