package com.zmanim.infrastructure.imagepipeline;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** ZmanimProdImagePipeline when the account already has GitHub's OIDC provider (one per URL). */
class ImagePipelineExistingProviderTest {

  private static final String ARN =
      "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
  private static Template template;

  @BeforeAll
  static void synth() {
    template =
        Synth.template(
            Synth.stack(
                "ImagePipeline",
                ZmanimConfig.withOverrides(Map.of("githubOidcProviderArn", ARN)),
                ImagePipelineStack::new));
  }

  @Test
  void noProviderIsCreatedAndTheRoleTrustsTheConfiguredOne() {
    template.resourceCountIs("AWS::IAM::OIDCProvider", 0);
    template.hasResourceProperties(
        "AWS::IAM::Role",
        Match.objectLike(
            Map.of(
                "AssumeRolePolicyDocument",
                Match.objectLike(
                    Map.of(
                        "Statement",
                        List.of(
                            Match.objectLike(Map.of("Principal", Map.of("Federated", ARN)))))))));
  }
}
