package com.zmanim.infrastructure.ha.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** ZmanimProdHaNetwork (profile ha), synthesized once. */
class HaNetworkStackTest {

  private static HaNetworkStack stack;
  private static Template template;

  @BeforeAll
  static void synth() {
    ZmanimConfig config = ZmanimConfig.withOverrides(Map.of("profile", "ha"));
    stack = Synth.stack("HaNetwork", config, HaNetworkStack::new);
    template = Synth.template(stack);
  }

  @Test
  void theStackNameSaysItBelongsToTheHaProfile() {
    assertThat(stack.getStackName()).isEqualTo("ZmanimProdHaNetwork");
  }

  @Test
  void theVpcHasAPublicAndAnIsolatedSubnetInEachOfTwoAzsAndNoNatGateway() {
    template.resourceCountIs("AWS::EC2::NatGateway", 0);
    template.resourceCountIs("AWS::EC2::Subnet", 4);
    template.resourceCountIs("AWS::EC2::VPCEndpoint", 1);
    template.hasResourceProperties(
        "AWS::EC2::VPC", Match.objectLike(Map.of("CidrBlock", "10.41.0.0/24")));
    for (String type : List.of("Public", "Isolated")) {
      assertThat(
              template.findResources(
                  "AWS::EC2::Subnet",
                  Match.objectLike(
                      Map.of(
                          "Properties",
                          Match.objectLike(
                              Map.of(
                                  "Tags",
                                  Match.arrayWith(
                                      List.of(
                                          Map.of(
                                              "Key", "aws-cdk:subnet-type", "Value", type)))))))))
          .hasSize(2);
    }
  }

  @Test
  void theLoadBalancerAdmitsOnlyCloudFrontsOriginFacingPrefixList() {
    template.hasResourceProperties(
        "AWS::EC2::SecurityGroupIngress",
        Match.objectLike(
            Map.of(
                "FromPort",
                80,
                "ToPort",
                80,
                "SourcePrefixListId",
                Map.of(
                    "Fn::FindInMap",
                    List.of(
                        "CloudFrontOriginFacing", Map.of("Ref", "AWS::Region"), "PrefixListId")))));
    // No rule anywhere admits an address range: every other ingress comes from a security group.
    assertThat(
            template.findResources(
                "AWS::EC2::SecurityGroupIngress",
                Match.objectLike(
                    Map.of("Properties", Match.objectLike(Map.of("CidrIp", Match.anyValue()))))))
        .isEmpty();
    assertThat(
            template.findResources(
                "AWS::EC2::SecurityGroup",
                Match.objectLike(
                    Map.of(
                        "Properties",
                        Match.objectLike(Map.of("SecurityGroupIngress", Match.anyValue()))))))
        .isEmpty();
  }

  @Test
  void theDatabaseAndCacheAdmitOnlyTheApiInstancesGroup() {
    for (int port : List.of(5432, 6379)) {
      template.hasResourceProperties(
          "AWS::EC2::SecurityGroupIngress",
          Match.objectLike(
              Map.of(
                  "FromPort",
                  port,
                  "ToPort",
                  port,
                  "SourceSecurityGroupId",
                  Map.of(
                      "Fn::GetAtt",
                      List.of(Match.stringLikeRegexp("SecurityGroupsApi.*"), "GroupId")))));
    }
  }

  @Test
  void cdkNagAwsSolutionsHasNoUnacknowledgedFinding() {
    assertThat(Synth.unacknowledgedNagFindings(stack)).isEmpty();
  }
}
