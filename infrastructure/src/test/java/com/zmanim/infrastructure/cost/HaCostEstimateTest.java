package com.zmanim.infrastructure.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.ha.compute.HaComputeStack;
import com.zmanim.infrastructure.ha.data.HaDataStack;
import com.zmanim.infrastructure.storage.StorageStack;
import com.zmanim.infrastructure.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cost estimate of profile ha at its minimum capacity (templates synthesized once). */
class HaCostEstimateTest {

  private static final PriceTable PRICES = PriceTable.load();
  private static List<CostEstimate.Line> lines;

  @BeforeAll
  static void synth() {
    ObjectMapper mapper = new ObjectMapper();
    ZmanimConfig ha = ZmanimConfig.withOverrides(Map.of("profile", "ha"));
    Map<String, JsonNode> templates =
        Map.of(
            "ZmanimProdHaCompute",
                mapper.valueToTree(
                    Synth.template(Synth.stack("HaCompute", ha, HaComputeStack::new)).toJSON()),
            "ZmanimProdHaData",
                mapper.valueToTree(
                    Synth.template(Synth.stack("HaData", ha, HaDataStack::new)).toJSON()),
            "ZmanimProdStorage",
                mapper.valueToTree(
                    Synth.template(Synth.stack("Storage", ha, StorageStack::new)).toJSON()));
    lines = HaCostEstimate.of(templates, "eu-west-1", 2, PRICES);
  }

  @Test
  void theGroupsMinimumOfTwoInstancesIsPricedNotItsMaximum() {
    assertThat(line("EC2 m7g.medium on-demand (x2").monthly())
        .isCloseTo(2 * 730 * PRICES.instancePerHour("eu-west-1", "m7g.medium"), within(1e-9));
  }

  @Test
  void bothAuroraInstancesArePricedAtTheClustersMinimumCapacity() {
    assertThat(line("Aurora Serverless v2 (2 instances at the minimum 0.5 ACU)").monthly())
        .isCloseTo(
            2 * 0.5 * 730 * PRICES.price("eu-west-1", "auroraServerlessV2PerAcuHour"),
            within(1e-9));
  }

  @Test
  void theCacheIsTwoValkeyNodes() {
    assertThat(line("ElastiCache cache.t4g.micro/valkey (x2").quantity()).isEqualTo(2 * 730.0);
  }

  @Test
  void everyPublicAddressIsCountedTheInstancesAndOnePerLoadBalancerAz() {
    assertThat(line("Public IPv4 (4:").quantity()).isEqualTo(4 * 730.0);
  }

  @Test
  void theHaProfileCostsMoreThanTheSingleOneAtItsMinimum() {
    assertThat(CostEstimate.total(lines)).isGreaterThan(100);
  }

  private static CostEstimate.Line line(String prefix) {
    return lines.stream()
        .filter(l -> l.item().startsWith(prefix))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no line starting "
                        + prefix
                        + " in "
                        + lines.stream().map(CostEstimate.Line::item).toList()));
  }
}
