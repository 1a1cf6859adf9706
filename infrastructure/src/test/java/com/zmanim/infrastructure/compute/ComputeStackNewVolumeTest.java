package com.zmanim.infrastructure.compute;

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

/**
 * ZmanimProdCompute after the operator's recovery deploy (restore runbook): data volume generation
 * 2 in the VPC's second AZ, restored from the repository at boot. Synthesized once.
 */
class ComputeStackNewVolumeTest {

  private static ComputeStack stack;
  private static Template template;

  @BeforeAll
  static void synth() {
    stack =
        Synth.stack(
            "Compute",
            ZmanimConfig.withOverrides(
                Map.of("dataVolumeGeneration", 2, "dataVolumeAz", 1, "blankVolume", "restore")),
            ComputeStack::new);
    template = Synth.template(stack);
  }

  @Test
  void aNewGenerationIsANewVolumeUnderANewLogicalIdSoTheOldOneIsRetainedNotReused() {
    template.resourceCountIs("AWS::EC2::Volume", 1);
    assertThat(Synth.resources(template, "AWS::EC2::Volume"))
        .doesNotContainKey("DataVolume84F27F95")
        .hasKeySatisfying(
            new org.assertj.core.api.Condition<>(
                k -> k.startsWith("DataGen2Volume"), "DataGen2Volume*"));
    template.hasResource(
        "AWS::EC2::Volume",
        Match.objectLike(
            Map.of(
                "DeletionPolicy",
                "Retain",
                "UpdateReplacePolicy",
                "Retain",
                "Properties",
                Match.objectLike(
                    Map.of(
                        "Tags",
                        Match.arrayWith(
                            List.of(Map.of("Key", "Name", "Value", "zmanim-prod-data-gen2"))))))));
  }

  @Test
  void theVolumeAndTheGroupMoveToTheSecondAzsExportedSubnet() {
    template.hasResourceProperties(
        "AWS::EC2::Volume",
        Match.objectLike(
            Map.of("AvailabilityZone", Map.of("Fn::ImportValue", "ZmanimProd-AppSubnetAz1"))));
    template.hasResourceProperties(
        "AWS::AutoScaling::AutoScalingGroup",
        Match.objectLike(
            Map.of(
                "VPCZoneIdentifier",
                List.of(Map.of("Fn::ImportValue", "ZmanimProd-AppSubnetId1")))));
  }

  @Test
  void theInstanceMayAttachOnlyTheNewVolume() {
    String volume = Synth.resources(template, "AWS::EC2::Volume").keySet().iterator().next();
    assertThat(Iam.resources(Iam.statement(template, "AttachDataVolume")).toString())
        .contains("Ref=" + volume);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theUserDataTellsTheBootToRestoreABlankVolume() {
    Map<String, Object> lt =
        Synth.resources(template, "AWS::EC2::LaunchTemplate").values().iterator().next();
    Map<String, Object> data =
        (Map<String, Object>)
            ((Map<String, Object>) lt.get("Properties")).get("LaunchTemplateData");
    List<Object> sub =
        (List<Object>)
            ((Map<String, Object>) ((Map<String, Object>) data.get("UserData")).get("Fn::Base64"))
                .get("Fn::Sub");
    assertThat((String) sub.get(0)).contains("ZMANIM_BLANK_VOLUME=${BlankVolume}");
    assertThat((Map<String, Object>) sub.get(1)).containsEntry("BlankVolume", "restore");
  }

  @Test
  void cdkNagAwsSolutionsHasNoUnacknowledgedFinding() {
    assertThat(Synth.unacknowledgedNagFindings(stack)).isEmpty();
  }
}
