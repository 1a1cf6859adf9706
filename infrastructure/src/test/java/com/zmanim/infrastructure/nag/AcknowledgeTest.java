package com.zmanim.infrastructure.nag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zmanim.infrastructure.config.AppContext;
import com.zmanim.infrastructure.support.Synth;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.s3.Bucket;

/** The nag checks the stack tests rely on do find problems, and acknowledgements need reasons. */
class AcknowledgeTest {

  private static Stack plain;
  private static Stack acknowledged;

  @BeforeAll
  static void synth() {
    App app = new App(AppProps.builder().context(AppContext.FEATURE_FLAGS).build());
    plain = new Stack(app, "Plain");
    new Bucket(plain, "Bucket");
    acknowledged = new Stack(app, "Acknowledged");
    Bucket bucket = new Bucket(acknowledged, "Bucket");
    Acknowledge.rule(
        bucket,
        "AwsSolutions-S1",
        "A scratch bucket in a test: access logs are not the point here.");
  }

  @Test
  void aPlainBucketHasFindingsSoTheStackTestsCanFail() {
    assertThat(Synth.unacknowledgedNagFindings(plain))
        .anySatisfy(f -> assertThat(f).startsWith("AwsSolutions-S1"))
        .anySatisfy(f -> assertThat(f).startsWith("AwsSolutions-S10"));
  }

  @Test
  void anAcknowledgedRuleIsNoLongerReportedButOthersStill() {
    assertThat(Synth.unacknowledgedNagFindings(acknowledged))
        .noneSatisfy(f -> assertThat(f).startsWith("AwsSolutions-S1:"))
        .anySatisfy(f -> assertThat(f).startsWith("AwsSolutions-S10"));
  }

  @Test
  void anAcknowledgementWithoutAWrittenReasonIsRejected() {
    assertThatThrownBy(() -> Acknowledge.rule(plain, "AwsSolutions-S2", "ok"))
        .hasMessageContaining("AwsSolutions-S2")
        .hasMessageContaining("reason");
  }
}
