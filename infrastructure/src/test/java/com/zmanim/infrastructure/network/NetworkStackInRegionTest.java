package com.zmanim.infrastructure.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * ZmanimProdNetwork with a region configured: the prefix list is looked up at synth, no mapping.
 */
class NetworkStackInRegionTest {

  private static Template template;

  @BeforeAll
  static void synth() {
    template =
        Synth.template(
            Synth.stack(
                "Network",
                ZmanimConfig.withOverrides(
                    Map.of("region", "eu-west-1", "account", "123456789012")),
                NetworkStack::new));
  }

  @Test
  void aKnownRegionGetsItsCloudFrontPrefixListIdDirectly() {
    template.resourceCountIs("AWS::EC2::SecurityGroupIngress", 1);
    template.hasResourceProperties(
        "AWS::EC2::SecurityGroupIngress",
        Match.objectLike(
            Map.of("SourcePrefixListId", "pl-4fa04526", "FromPort", 8080, "ToPort", 8080)));
    assertThat(template.toJSON()).doesNotContainKey("Mappings");
  }

  @Test
  void aConfiguredCidrSourceReplacesThePrefixList() {
    Template cidr =
        Synth.template(
            Synth.stack(
                "Network",
                ZmanimConfig.withOverrides(Map.of("apiIngressSource", "203.0.113.0/24")),
                NetworkStack::new));
    cidr.hasResourceProperties(
        "AWS::EC2::SecurityGroup",
        Match.objectLike(
            Map.of(
                "SecurityGroupIngress",
                List.of(Match.objectLike(Map.of("CidrIp", "203.0.113.0/24", "FromPort", 8080))))));
  }

  @Test
  void aRegionWithoutAKnownPrefixListFailsNamingTheWayOut() {
    assertThatThrownBy(
            () ->
                Synth.stack(
                    "Network",
                    ZmanimConfig.withOverrides(Map.of("region", "af-south-1")),
                    NetworkStack::new))
        .hasMessageContaining("af-south-1")
        .hasMessageContaining("apiIngressSource");
  }
}
