package com.zmanim.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user data of the ha profile's compute stack as synthesized into {@code
 * infrastructure/cdk.out-ha} (its name from {@code zmanim-names.json}), rendered with the data
 * stack's endpoints and secret mapped to the {@link HaStandIn}'s address and everything else (the
 * releases bucket, the agent's parameter) to the world's account in moto.
 */
final class HaUserData {
  private final String stack;
  private final String script;

  HaUserData(World w, String standInAddress, String adminSecretArn) {
    Path cdkOut = w.layout().repo().resolve("infrastructure/cdk.out-ha");
    String synthFirst = "synthesize the ha profile first (make rehearse does: scripts/rehearse.sh)";
    try {
      stack =
          new ObjectMapper()
              .readTree(cdkOut.resolve("zmanim-names.json").toFile())
              .path("computeStack")
              .asText();
    } catch (IOException e) {
      throw new UncheckedIOException(cdkOut + "/zmanim-names.json is unreadable: " + synthFirst, e);
    }
    if (!Files.isRegularFile(cdkOut.resolve(stack + ".template.json"))) {
      throw new IllegalStateException(
          cdkOut + "/" + stack + ".template.json does not exist: " + synthFirst);
    }
    UserData.Resources resources =
        new UserData.Resources() {
          @Override
          public String ref(String s, String logicalId, JsonNode resource) {
            return w.account().ref(s, logicalId, resource);
          }

          @Override
          public String getAtt(String s, String logicalId, JsonNode resource, String attribute) {
            return switch (resource.path("Type").asText() + " " + attribute) {
              case "AWS::RDS::DBCluster Endpoint.Address",
                  "AWS::ElastiCache::ReplicationGroup PrimaryEndPoint.Address" ->
                  standInAddress;
              case "AWS::RDS::DBCluster Endpoint.Port" -> Integer.toString(HaStandIn.DB_PORT);
              case "AWS::ElastiCache::ReplicationGroup PrimaryEndPoint.Port" ->
                  Integer.toString(HaStandIn.CACHE_PORT);
              case "AWS::RDS::DBCluster MasterUserSecret.SecretArn" -> adminSecretArn;
              default -> w.account().getAtt(s, logicalId, resource, attribute);
            };
          }
        };
    script = new UserData(cdkOut, World.REGION, resources).renderScript(stack).script();
  }

  /** The ha profile's compute stack (the group the instances signal belongs to). */
  String stack() {
    return stack;
  }

  /** The rendered user data (the same for every instance of the group). */
  String script() {
    return script;
  }
}
