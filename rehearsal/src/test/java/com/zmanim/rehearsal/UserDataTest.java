package com.zmanim.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The user data renderer, on a small template shaped like the CDK's (no moto: resources are
 * recorded).
 */
class UserDataTest {
  private final List<String> asked = new ArrayList<>();
  private final UserData.Resources resources =
      new UserData.Resources() {
        @Override
        public String ref(String stack, String logicalId, JsonNode resource) {
          asked.add(stack + "/" + logicalId);
          return switch (resource.get("Type").asText()) {
            case "AWS::EC2::Volume" -> "vol-0abc";
            case "AWS::S3::Bucket" -> "backups-bucket";
            default -> throw new IllegalStateException("unexpected " + logicalId);
          };
        }

        @Override
        public String getAtt(String stack, String logicalId, JsonNode resource, String attribute) {
          asked.add(stack + "/" + logicalId + "." + attribute);
          return "eipalloc-0def";
        }
      };

  private static Path cdkOut() throws URISyntaxException {
    return Path.of(UserDataTest.class.getResource("/cdk-out").toURI());
  }

  @Test
  void rendersTheScriptAndHandsOverTheVariablesItWasGiven() throws Exception {
    Deployment d = new UserData(cdkOut(), "eu-west-1", resources).render("ZmanimProdCompute");
    assertThat(d.environment()).isEqualTo("prod");
    assertThat(d.ssmPrefix()).isEqualTo("/zmanim/prod");
    assertThat(d.ssmName("redis-password")).isEqualTo("/zmanim/prod/redis-password");
    assertThat(d.dataVolumeId()).isEqualTo("vol-0abc");
    assertThat(d.eipAllocationId()).isEqualTo("eipalloc-0def");
    assertThat(d.backupBucket()).isEqualTo("backups-bucket");
    assertThat(d.signalResource()).isEqualTo("Asg");
    assertThat(d.userData())
        .startsWith("#!/bin/bash\n")
        .contains(
            "ZMANIM_REGION=eu-west-1\n",
            "ZMANIM_STACK_NAME=ZmanimProdCompute\n",
            "ZMANIM_DATA_VOLUME_ID=vol-0abc\n",
            "echo ${NotAVariable}");
    assertThat(asked)
        .containsExactlyInAnyOrder(
            "ZmanimProdStorage/DataVolume",
            "ZmanimProdCompute/Eip.AllocationId",
            "ZmanimProdStorage/BackupBucket");
  }

  @Test
  void aVariableTheUserDataWasNotGivenIsNamed() throws Exception {
    Deployment d = new UserData(cdkOut(), "eu-west-1", resources).render("ZmanimProdCompute");
    assertThatThrownBy(d::releasesBucket).hasMessageContaining("ReleasesBucket");
  }

  @Test
  void renderTreeRendersTheIntrinsicsInsideAPolicyAndKeepsTheRest() throws Exception {
    JsonNode policy =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                """
                {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"],
                  "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::",
                    {"Fn::ImportValue": "ZmanimProdStorage:BackupBucket"}, "/*"]]},
                  "Condition": {"StringEquals": {"aws:RequestedRegion": {"Ref": "AWS::Region"}}}}]}""");
    JsonNode rendered =
        new UserData(cdkOut(), "eu-west-1", resources).renderTree("ZmanimProdCompute", policy);
    JsonNode st = rendered.get("Statement").get(0);
    assertThat(st.get("Resource").asText()).isEqualTo("arn:aws:s3:::backups-bucket/*");
    assertThat(st.get("Condition").get("StringEquals").get("aws:RequestedRegion").asText())
        .isEqualTo("eu-west-1");
    assertThat(st.get("Action").get(0).asText()).isEqualTo("s3:GetObject");
    assertThat(st.get("Effect").asText()).isEqualTo("Allow");
  }

  @Test
  void aStackThatIsNotThereIsNamed() throws Exception {
    assertThatThrownBy(
            () -> new UserData(cdkOut(), "eu-west-1", resources).render("ZmanimProdNetwork"))
        .hasMessageContaining("ZmanimProdNetwork");
  }

  @Test
  void userDataWithoutTheContractVariablesIsRefused() {
    assertThatThrownBy(
            () ->
                new Deployment("ZmanimProdCompute", "#!/bin/bash\n", Map.of("Environment", "prod")))
        .hasMessageContaining("SsmPrefix")
        .hasMessageContaining("ZmanimProdCompute");
  }
}
