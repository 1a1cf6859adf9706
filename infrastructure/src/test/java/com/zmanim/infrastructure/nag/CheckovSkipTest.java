package com.zmanim.infrastructure.nag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zmanim.infrastructure.config.AppContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.s3.Bucket;

/** checkov skips land in the template's Metadata with their reasons, and need reasons. */
class CheckovSkipTest {

  private static Stack stack;
  private static Template template;

  @BeforeAll
  static void synth() {
    App app = new App(AppProps.builder().context(AppContext.FEATURE_FLAGS).build());
    stack = new Stack(app, "Skips");
    Bucket bucket = new Bucket(stack, "Bucket");
    CheckovSkip.on(
        bucket, "CKV_AWS_18", "A scratch bucket in a test: access logs are not the point here.");
    CheckovSkip.on(
        bucket, "CKV_AWS_21", "A scratch bucket in a test: versioning is not the point here.");
    template = Template.fromStack(stack);
  }

  @Test
  void twoSkipsOnOneResourceAreBothWrittenWithTheirReasonsAsCheckovReadsThem() {
    template.hasResource(
        "AWS::S3::Bucket",
        Match.objectLike(
            Map.of(
                "Metadata",
                Match.objectLike(
                    Map.of(
                        "checkov",
                        Map.of(
                            "skip",
                            List.of(
                                Map.of(
                                    "id",
                                    "CKV_AWS_18",
                                    "comment",
                                    "A scratch bucket in a test: access logs are not the point here."),
                                Map.of(
                                    "id",
                                    "CKV_AWS_21",
                                    "comment",
                                    "A scratch bucket in a test: versioning is not the point here."))))))));
  }

  @Test
  void aSkipWithoutAReasonOrWithABadIdIsRefused() {
    Bucket other = new Bucket(new Stack(new App(), "Other"), "Bucket");
    assertThatThrownBy(() -> CheckovSkip.on(other, "CKV_AWS_18", "because"))
        .hasMessageContaining("reason");
    assertThatThrownBy(
            () -> CheckovSkip.on(other, "AwsSolutions-S1", "a long enough reason for the test"))
        .hasMessageStartingWith("id is invalid");
    assertThat(stack.getStackName()).isEqualTo("Skips");
  }
}
