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

/** The user data renderer, on a small template shaped like the CDK's (no moto: resources are recorded). */
class UserDataTest {
    private final List<String> asked = new ArrayList<>();
    private final UserData.Resources resources = new UserData.Resources() {
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
    void rendersSubstitutionsImportsAndPseudoParameters() throws Exception {
        String ud = new UserData(cdkOut(), "eu-west-1", resources).render("ZmanimProdCompute");
        Map<String, String> env = World.parseInstanceEnv(ud);
        assertThat(env).containsEntry("ZMANIM_ENVIRONMENT", "prod")
                .containsEntry("ZMANIM_REGION", "eu-west-1")
                .containsEntry("ZMANIM_SSM_PREFIX", "/zmanim/prod")
                .containsEntry("ZMANIM_DATA_VOLUME_ID", "vol-0abc")
                .containsEntry("ZMANIM_EIP_ALLOCATION_ID", "eipalloc-0def")
                .containsEntry("ZMANIM_STACK_NAME", "ZmanimProdCompute")
                .containsEntry("ZMANIM_BACKUP_BUCKET", "backups-bucket");
        assertThat(ud).startsWith("#!/bin/bash\n").contains("echo ${NotAVariable}");
        assertThat(asked).containsExactlyInAnyOrder("ZmanimProdStorage/DataVolume", "ZmanimProdCompute/Eip.AllocationId",
                "ZmanimProdStorage/BackupBucket");
    }

    @Test
    void renderTreeRendersTheIntrinsicsInsideAPolicyAndKeepsTheRest() throws Exception {
        JsonNode policy = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"],
                  "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::",
                    {"Fn::ImportValue": "ZmanimProdStorage:BackupBucket"}, "/*"]]},
                  "Condition": {"StringEquals": {"aws:RequestedRegion": {"Ref": "AWS::Region"}}}}]}""");
        JsonNode rendered = new UserData(cdkOut(), "eu-west-1", resources).renderTree("ZmanimProdCompute", policy);
        JsonNode st = rendered.get("Statement").get(0);
        assertThat(st.get("Resource").asText()).isEqualTo("arn:aws:s3:::backups-bucket/*");
        assertThat(st.get("Condition").get("StringEquals").get("aws:RequestedRegion").asText()).isEqualTo("eu-west-1");
        assertThat(st.get("Action").get(0).asText()).isEqualTo("s3:GetObject");
        assertThat(st.get("Effect").asText()).isEqualTo("Allow");
    }

    @Test
    void aStackThatIsNotThereIsNamed() throws Exception {
        assertThatThrownBy(() -> new UserData(cdkOut(), "eu-west-1", resources).render("ZmanimProdNetwork"))
                .hasMessageContaining("ZmanimProdNetwork");
    }

    @Test
    void userDataWithoutTheContractKeysIsRefused() {
        assertThatThrownBy(() -> World.parseInstanceEnv("#!/bin/bash\nZMANIM_REGION=eu-west-1\n"))
                .hasMessageContaining("ZMANIM_SSM_PREFIX");
    }
}
