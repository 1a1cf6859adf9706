package com.zmanim.infrastructure.imagepipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.Iam;
import com.zmanim.infrastructure.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** ZmanimProdImagePipeline, synthesized once, creating the GitHub OIDC provider (the default). */
class ImagePipelineStackTest {

  private static final String TAG_CONDITION_VALUE = "zmanim-prod-ami-build";
  private static ImagePipelineStack stack;
  private static Template template;

  @BeforeAll
  static void synth() {
    stack = Synth.stack("ImagePipeline", ZmanimConfig.defaults(), ImagePipelineStack::new);
    template = Synth.template(stack);
  }

  @Test
  void theGithubOidcProviderIsCreatedForStsAudience() {
    template.hasResourceProperties("AWS::IAM::OIDCProvider", Match.objectLike(Map.of(
        "Url", "https://token.actions.githubusercontent.com", "ClientIdList", List.of("sts.amazonaws.com"))));
  }

  @Test
  void theRoleTrustsOnlyThisRepositorysAmiTagsWithTheStsAudience() {
    template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
        "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
            "Action", "sts:AssumeRoleWithWebIdentity",
            "Condition", Map.of(
                "StringEquals", Map.of("token.actions.githubusercontent.com:aud", "sts.amazonaws.com"),
                "StringLike", Map.of("token.actions.githubusercontent.com:sub", "repo:zmanim/zmanim:ref:refs/tags/v*-ami")),
            "Principal", Map.of("Federated", Match.objectLike(Map.of("Ref", Match.stringLikeRegexp("GithubOidc.*"))))))))))));
  }

  @Test
  void theWorkflowMayWriteOnlyTheAmiIdAndVersionParameters() {
    Map<String, Object> s = Iam.statement(template, "PublishAmiId");
    assertThat(Iam.actions(s)).contains("ssm:PutParameter");
    assertThat(Iam.resources(s).toString()).contains(":parameter/zmanim/prod/ami-id").contains(":parameter/zmanim/prod/ami-version");
    assertThat(Iam.resources(s)).hasSize(2);
    assertThat(Iam.statements(template)).filteredOn(st -> Iam.actions(st).contains("ssm:PutParameter")).hasSize(1);
  }

  @Test
  void theBuilderInstanceAndVolumesMustCarryTheBuildTagAtLaunch() {
    Map<String, Object> s = Iam.statement(template, "RunTaggedBuilder");
    assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals", Map.of("aws:RequestTag/Purpose", TAG_CONDITION_VALUE)));
    assertThat(Iam.resources(s).toString()).contains(":instance/*").contains(":volume/*");
  }

  @Test
  void onlyTaggedInstancesAndSecurityGroupsCanBeStoppedTerminatedOrOpened() {
    Map<String, Object> condition = Map.of("StringEquals", Map.of("ec2:ResourceTag/Purpose", TAG_CONDITION_VALUE));
    assertThat(Iam.statement(template, "ManageTaggedBuilder").get("Condition")).isEqualTo(condition);
    assertThat(Iam.statement(template, "ManageTemporarySecurityGroup").get("Condition")).isEqualTo(condition);
    assertThat(Iam.statements(template)).filteredOn(st -> Iam.actions(st).contains("ec2:TerminateInstances")
        || Iam.actions(st).contains("ec2:AuthorizeSecurityGroupIngress")).allSatisfy(st ->
        assertThat(st.get("Condition")).isEqualTo(condition));
  }

  @Test
  void aBuildNeverDeletesOlderImagesOrSnapshots() {
    assertThat(Iam.allActions(template)).doesNotContain("ec2:DeregisterImage", "ec2:DeleteSnapshot", "ec2:DeleteVolume");
  }

  @Test
  void noStatementAllowsAllActionsOrAllActionsOfAService() {
    assertThat(Iam.allActions(template)).isNotEmpty().allSatisfy(a -> assertThat(a).isNotEqualTo("*").doesNotEndWith(":*"));
  }

  @Test
  void describeCallsAreLimitedToTheRegion() {
    Map<String, Object> s = Iam.statement(template, "Describe");
    assertThat(Iam.actions(s)).allSatisfy(a -> assertThat(a).startsWith("ec2:Describe"));
    assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals", Map.of("aws:RequestedRegion", Map.of("Ref", "AWS::Region"))));
  }

  @Test
  void theRolesArnIsAnOutput() {
    template.hasOutput("AmiBuildRoleArn", Match.objectLike(Map.of(
        "Value", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("AmiBuildRole.*"), "Arn")))));
  }

  @Test
  void cdkNagAwsSolutionsHasNoUnacknowledgedFinding() {
    assertThat(Synth.unacknowledgedNagFindings(stack)).isEmpty();
  }
}
