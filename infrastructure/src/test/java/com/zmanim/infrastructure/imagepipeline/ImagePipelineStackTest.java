package com.zmanim.infrastructure.imagepipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.Iam;
import com.zmanim.infrastructure.support.Synth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    template.hasResourceProperties(
        "AWS::IAM::OIDCProvider",
        Match.objectLike(
            Map.of(
                "Url",
                "https://token.actions.githubusercontent.com",
                "ClientIdList",
                List.of("sts.amazonaws.com"))));
  }

  @Test
  void theRoleTrustsOnlyTheBuildWorkflowsJobInItsEnvironmentOnAnAmiTag() {
    template.hasResourceProperties(
        "AWS::IAM::Role",
        Match.objectLike(
            Map.of(
                "AssumeRolePolicyDocument",
                Match.objectLike(
                    Map.of(
                        "Statement",
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Action", "sts:AssumeRoleWithWebIdentity",
                                    "Condition",
                                        Map.of(
                                            "StringEquals",
                                                Map.of(
                                                    "token.actions.githubusercontent.com:aud",
                                                    "sts.amazonaws.com"),
                                            "StringLike",
                                                Map.of(
                                                    "token.actions.githubusercontent.com:sub",
                                                    "repo:zmanim/zmanim:environment:prod-ami"
                                                        + ":job_workflow_ref:zmanim/zmanim/.github/workflows/build-ami.yml@refs/tags/v*-ami")),
                                    "Principal",
                                        Map.of(
                                            "Federated",
                                            Match.objectLike(
                                                Map.of(
                                                    "Ref",
                                                    Match.stringLikeRegexp(
                                                        "GithubOidc.*"))))))))))));
  }

  @Test
  void theWorkflowMayWriteOnlyTheCandidateParametersNeverTheAmiTheComputeStackLaunches() {
    Map<String, Object> s = Iam.statement(template, "PublishAmiCandidate");
    assertThat(Iam.actions(s)).contains("ssm:PutParameter");
    assertThat(Iam.resources(s).toString())
        .contains(":parameter/zmanim/prod/ami-candidate-id")
        .contains(":parameter/zmanim/prod/ami-candidate-version")
        .doesNotContain("/ami-id")
        .doesNotContain("/ami-version");
    assertThat(Iam.resources(s)).hasSize(2);
    assertThat(Iam.statements(template))
        .filteredOn(st -> Iam.actions(st).contains("ssm:PutParameter"))
        .hasSize(1);
  }

  @Test
  void theBuilderInstanceMustCarryTheBuildTagAndBeTheOneBuilderType() {
    Map<String, Object> s = Iam.statement(template, "RunTaggedBuilder");
    assertThat(s.get("Condition"))
        .isEqualTo(
            Map.of(
                "StringEquals",
                Map.of(
                    "aws:RequestTag/Purpose",
                    TAG_CONDITION_VALUE,
                    "ec2:InstanceType",
                    "m7g.medium")));
    assertThat(Iam.resources(s).toString()).contains(":instance/*").doesNotContain(":volume/*");
    assertThat(Iam.statement(template, "RunTaggedBuilderVolumes").get("Condition"))
        .isEqualTo(Map.of("StringEquals", Map.of("aws:RequestTag/Purpose", TAG_CONDITION_VALUE)));
  }

  @Test
  void theBuilderBootsOnlyFromDebiansOwnImages() throws IOException {
    Map<String, Object> s = Iam.statement(template, "RunFromDebianImage");
    assertThat(s.get("Condition"))
        .isEqualTo(Map.of("StringEquals", Map.of("ec2:Owner", AmiBuildRole.DEBIAN_IMAGE_OWNER)));
    assertThat(Iam.statements(template))
        .filteredOn(st -> Iam.actions(st).contains("ec2:RunInstances"))
        .filteredOn(st -> Iam.resources(st).toString().contains(":image/"))
        .hasSize(1);
    // The same owner as the Packer template's source AMI filter.
    String variables = Files.readString(Path.of("packer", "variables.pkr.hcl"));
    assertThat(variables)
        .containsPattern(
            "(?s)variable \"source_ami_owner\".*?default\\s*=\\s*\""
                + AmiBuildRole.DEBIAN_IMAGE_OWNER
                + "\"");
  }

  @Test
  void theNewImageMayOnlyBeTaggedWithThePackerTemplatesKeys() throws IOException {
    Map<String, Object> s = Iam.statement(template, "TagNewImage");
    assertThat(s.get("Condition"))
        .isEqualTo(
            Map.of(
                "ForAllValues:StringEquals", Map.of("aws:TagKeys", AmiBuildRole.IMAGE_TAG_KEYS),
                "StringEquals", Map.of("aws:RequestTag/Project", "zmanim")));
    assertThat(Iam.statements(template))
        .filteredOn(st -> Iam.actions(st).contains("ec2:CreateTags"))
        .allSatisfy(st -> assertThat(st.get("Condition")).isNotNull());
    String hcl = Files.readString(Path.of("packer", "zmanim-ami.pkr.hcl"));
    Matcher block = Pattern.compile("(?s)\\n  tags = \\{(.*?)\\n  }").matcher(hcl);
    assertThat(block.find()).as("the Packer template's tags block").isTrue();
    List<String> keys = new ArrayList<>();
    Matcher key = Pattern.compile("(?m)^\\s+([A-Za-z]+)\\s+=").matcher(block.group(1));
    while (key.find()) {
      keys.add(key.group(1));
    }
    assertThat(keys).containsExactlyInAnyOrderElementsOf(AmiBuildRole.IMAGE_TAG_KEYS);
  }

  @Test
  void packerTagsWhatItLaunchesWithTheRolesTagFromTheStacksOutputNotACopy() throws IOException {
    template.hasOutput(
        "AmiBuildTags", Map.of("Value", "{\"Purpose\":\"" + TAG_CONDITION_VALUE + "\"}"));
    String hcl = Files.readString(Path.of("packer", "zmanim-ami.pkr.hcl"));
    assertThat(
            Pattern.compile("(?s)run_(volume_)?tags = merge\\(\\{.*?}, var\\.build_tags\\)")
                .matcher(hcl)
                .results()
                .count())
        .as("run_tags and run_volume_tags take var.build_tags")
        .isEqualTo(2);
    assertThat(hcl).doesNotContain(TAG_CONDITION_VALUE);
  }

  @Test
  void theWorkflowsPackerJobRunsInTheTrustedEnvironmentAndAloneMayRequestAnIdToken()
      throws IOException {
    String workflow = Files.readString(Path.of("..", ImagePipelineStack.AMI_WORKFLOW));
    // The environment the role trusts, as the stack's output names it (a repository variable).
    assertThat(workflow).contains("environment: ${{ vars.AMI_BUILD_ENVIRONMENT }}");
    template.hasOutput("AmiBuildEnvironment", Map.of("Value", "prod-ami"));
    assertThat(Pattern.compile("id-token: write").matcher(workflow).results().count()).isEqualTo(1);
    assertThat(workflow).doesNotContainPattern("(?m)^permissions:\\s*\\n\\s+[a-z-]+: write");
  }

  @Test
  void onlyTaggedInstancesAndSecurityGroupsCanBeStoppedTerminatedOrOpened() {
    Map<String, Object> condition =
        Map.of("StringEquals", Map.of("ec2:ResourceTag/Purpose", TAG_CONDITION_VALUE));
    assertThat(Iam.statement(template, "ManageTaggedBuilder").get("Condition"))
        .isEqualTo(condition);
    assertThat(Iam.statement(template, "ManageTemporarySecurityGroup").get("Condition"))
        .isEqualTo(condition);
    assertThat(Iam.statements(template))
        .filteredOn(
            st ->
                Iam.actions(st).contains("ec2:TerminateInstances")
                    || Iam.actions(st).contains("ec2:AuthorizeSecurityGroupIngress"))
        .allSatisfy(st -> assertThat(st.get("Condition")).isEqualTo(condition));
  }

  @Test
  void aBuildNeverDeletesOlderImagesOrSnapshots() {
    assertThat(Iam.allActions(template))
        .doesNotContain("ec2:DeregisterImage", "ec2:DeleteSnapshot", "ec2:DeleteVolume");
  }

  @Test
  void noStatementAllowsAllActionsOrAllActionsOfAService() {
    assertThat(Iam.allActions(template))
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a).isNotEqualTo("*").doesNotEndWith(":*"));
  }

  @Test
  void describeCallsAreLimitedToTheRegion() {
    Map<String, Object> s = Iam.statement(template, "Describe");
    assertThat(Iam.actions(s)).allSatisfy(a -> assertThat(a).startsWith("ec2:Describe"));
    assertThat(s.get("Condition")).isEqualTo(Iam.THIS_REGION_ONLY);
  }

  @Test
  void theRolesArnIsAnOutput() {
    template.hasOutput(
        "AmiBuildRoleArn",
        Match.objectLike(
            Map.of(
                "Value",
                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("AmiBuildRole.*"), "Arn")))));
  }

  @Test
  void cdkNagAwsSolutionsHasNoUnacknowledgedFinding() {
    assertThat(Synth.unacknowledgedNagFindings(stack)).isEmpty();
  }
}
