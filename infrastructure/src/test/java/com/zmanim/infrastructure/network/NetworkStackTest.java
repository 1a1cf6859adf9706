package com.zmanim.infrastructure.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** ZmanimProdNetwork, synthesized once, environment-agnostic (the default). */
class NetworkStackTest {

  private static NetworkStack stack;
  private static Template template;

  @BeforeAll
  static void synth() {
    stack = Synth.stack("Network", ZmanimConfig.defaults(), NetworkStack::new);
    template = Synth.template(stack);
  }

  @Test
  void theStackIsNamedZmanimProdNetwork() {
    assertThat(stack.getStackName()).isEqualTo("ZmanimProdNetwork");
  }

  @Test
  void everySubnetIsPublicAndThereIsNoNatGateway() {
    template.resourceCountIs("AWS::EC2::NatGateway", 0);
    template.resourceCountIs("AWS::EC2::Subnet", 2);
    template.allResourcesProperties(
        "AWS::EC2::Subnet",
        Match.objectLike(
            Map.of(
                "Tags",
                Match.arrayWith(
                    List.of(Map.of("Key", "aws-cdk:subnet-type", "Value", "Public"))))));
    template.resourceCountIs("AWS::EC2::InternetGateway", 1);
  }

  @Test
  void s3IsReachedThroughAGatewayEndpoint() {
    template.hasResourceProperties(
        "AWS::EC2::VPCEndpoint",
        Match.objectLike(
            Map.of(
                "VpcEndpointType",
                "Gateway",
                "ServiceName",
                Match.objectLike(
                    Map.of(
                        "Fn::Join", Match.arrayWith(List.of(Match.arrayWith(List.of(".s3")))))))));
  }

  @Test
  void theApiPortIsOpenOnlyToTheRegionsCloudFrontPrefixListFromAMapping() {
    // The prefix list id is a token (a mapping lookup), so CDK writes the rule as its own resource.
    template.resourceCountIs("AWS::EC2::SecurityGroupIngress", 1);
    template.hasResourceProperties(
        "AWS::EC2::SecurityGroupIngress",
        Map.of(
            "IpProtocol",
            "tcp",
            "FromPort",
            8080,
            "ToPort",
            8080,
            "SourcePrefixListId",
            Map.of(
                "Fn::FindInMap",
                List.of("CloudFrontOriginFacing", Map.of("Ref", "AWS::Region"), "PrefixListId")),
            "GroupId",
            Match.anyValue(),
            "Description",
            Match.anyValue()));
    template.hasResourceProperties(
        "AWS::EC2::SecurityGroup",
        Match.objectLike(Map.of("SecurityGroupIngress", Match.absent())));
    template.hasMapping(
        "CloudFrontOriginFacing",
        Match.objectLike(
            Map.of(
                "eu-west-1", Map.of("PrefixListId", "pl-4fa04526"),
                "us-east-1", Map.of("PrefixListId", "pl-3b927c52"))));
  }

  @Test
  void noSecurityGroupRuleOpensSshOrTheWholeInternet() {
    String rules =
        Synth.resources(template, "AWS::EC2::SecurityGroupIngress").toString()
            + Synth.resources(template, "AWS::EC2::SecurityGroup").toString();
    assertThat(rules)
        .doesNotContain("FromPort=22,")
        .doesNotContain("ToPort=22,")
        .doesNotContain("CidrIp=0.0.0.0/0, Description=zmanim API");
    assertThat(rules).doesNotContain("IpProtocol=-1");
  }

  @Test
  void theInstanceMayOnlySendHttpsOut() {
    template.hasResourceProperties(
        "AWS::EC2::SecurityGroup",
        Match.objectLike(
            Map.of(
                "SecurityGroupEgress",
                List.of(
                    Match.objectLike(
                        Map.of(
                            "CidrIp",
                            "0.0.0.0/0",
                            "IpProtocol",
                            "tcp",
                            "FromPort",
                            443,
                            "ToPort",
                            443))))));
  }

  @Test
  void theSubnetItsAzTheVpcAndTheSecurityGroupAreExportedForTheComputeStack() {
    template.hasOutput(
        "AppSubnetId",
        Match.objectLike(Map.of("Export", Map.of("Name", "ZmanimProd-AppSubnetId"))));
    @SuppressWarnings("unchecked")
    Object subnetAz =
        ((Map<String, Object>)
                Synth.resources(template, "AWS::EC2::Subnet").get(firstSubnet()).get("Properties"))
            .get("AvailabilityZone");
    template.hasOutput(
        "AppSubnetAz",
        Match.objectLike(
            Map.of("Export", Map.of("Name", "ZmanimProd-AppSubnetAz"), "Value", subnetAz)));
    template.hasOutput(
        "AppSubnetId", Match.objectLike(Map.of("Value", Map.of("Ref", firstSubnet()))));
    template.hasOutput(
        "VpcId", Match.objectLike(Map.of("Export", Map.of("Name", "ZmanimProd-VpcId"))));
    template.hasOutput(
        "AppSecurityGroupId",
        Match.objectLike(Map.of("Export", Map.of("Name", "ZmanimProd-AppSecurityGroupId"))));
  }

  @Test
  void theSecondAzsSubnetAndAzAreExportedSoTheInstanceCanMoveThereByConfiguration() {
    String second =
        Synth.resources(template, "AWS::EC2::Subnet").keySet().stream()
            .filter(id -> id.contains("PublicSubnet2"))
            .findFirst()
            .orElseThrow();
    template.hasOutput(
        "AppSubnetId1",
        Match.objectLike(
            Map.of(
                "Export",
                Map.of("Name", "ZmanimProd-AppSubnetId1"),
                "Value",
                Map.of("Ref", second))));
    template.hasOutput(
        "AppSubnetAz1",
        Match.objectLike(Map.of("Export", Map.of("Name", "ZmanimProd-AppSubnetAz1"))));
  }

  @Test
  void cdkNagAwsSolutionsHasNoUnacknowledgedFinding() {
    assertThat(Synth.unacknowledgedNagFindings(stack)).isEmpty();
  }

  private static String firstSubnet() {
    return Synth.resources(template, "AWS::EC2::Subnet").keySet().stream()
        .filter(id -> id.contains("PublicSubnet1"))
        .findFirst()
        .orElseThrow();
  }
}
