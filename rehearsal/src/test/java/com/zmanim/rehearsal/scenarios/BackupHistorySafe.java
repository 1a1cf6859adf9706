package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.rehearsal.Layout;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.UserData;
import com.zmanim.rehearsal.World;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The backup history survives a compromised instance: the instance role's own inline policy, taken
 * from the synthesized ZmanimProdCompute template (intrinsics rendered with the world's resources),
 * is loaded into moto as an IAM user's policy; with moto's IAM checks on (/moto-api/reset-auth) and
 * that user's keys, the backup's own S3 actions (put, get, list, delete object) are allowed, while
 * deleting a past object version of the repository and suspending the bucket's versioning are
 * denied; the version is still there afterwards. The SDK's S3 client stands in for restic, which
 * cannot run while moto's checks are on (moto refuses list requests whose prefix holds a "/"). The
 * role's two managed policies (Session Manager, CloudWatch agent) grant no S3 action and are not
 * loaded.
 */
final class BackupHistorySafe implements Scenario {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "backup-history-safe";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Layout layout = Layout.fromEnvironment();
    String bucket = w.deployment().backupBucket();
    JsonNode policy = instancePolicy(w, layout.computeTemplate());
    assertThat(policy.toString())
        .as("the role's policy names the backups bucket")
        .contains("arn:aws:s3:::" + bucket);

    // Checks off: the stand-in user, and a repository object with a past version.
    S3Client asInstance = w.account().s3(userWithPolicy(w, "zmanim-instance-role", policy));
    S3Client s3 = w.account().s3();
    String keyObject = "restic/keys/rehearsal";
    String v1 =
        s3.putObject(
                r -> r.bucket(bucket).key(keyObject),
                RequestBody.fromString("restic key file (stand-in)\n"))
            .versionId();

    List<String> allowed = new ArrayList<>();
    List<String> denied = new ArrayList<>();
    resetAuth(w, "0");
    try {
      String pack = "restic/data/00/rehearsal-pack";
      Map<String, Runnable> backupActions = new LinkedHashMap<>();
      backupActions.put(
          "put-object",
          () ->
              asInstance.putObject(
                  r -> r.bucket(bucket).key(pack), RequestBody.fromString("pack (stand-in)\n")));
      backupActions.put(
          "get-object", () -> asInstance.getObjectAsBytes(r -> r.bucket(bucket).key(pack)));
      backupActions.put("list-objects-v2", () -> asInstance.listObjectsV2(r -> r.bucket(bucket)));
      backupActions.put(
          "delete-object", () -> asInstance.deleteObject(r -> r.bucket(bucket).key(pack)));
      backupActions.forEach(
          (name, action) -> {
            assertThatCode(action::run)
                .as("the backup's own %s is allowed", name)
                .doesNotThrowAnyException();
            allowed.add(name);
          });
      Map<String, Runnable> historyActions = new LinkedHashMap<>();
      historyActions.put(
          "delete-object --version-id",
          () -> asInstance.deleteObject(r -> r.bucket(bucket).key(keyObject).versionId(v1)));
      historyActions.put(
          "put-bucket-versioning",
          () ->
              asInstance.putBucketVersioning(
                  r ->
                      r.bucket(bucket)
                          .versioningConfiguration(
                              v -> v.status(BucketVersioningStatus.SUSPENDED))));
      historyActions.forEach(
          (name, action) -> {
            assertDenied(name, action);
            denied.add(name);
          });
    } finally {
      resetAuth(w, "inf");
    }
    assertThat(s3.listObjectVersions(r -> r.bucket(bucket)).versions())
        .extracting(ObjectVersion::versionId)
        .as("the past version is still there")
        .contains(v1);
    assertThat(s3.getBucketVersioning(r -> r.bucket(bucket)).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
    return "instance policy from the template: allowed " + allowed + "; denied " + denied;
  }

  /** The inline policy of the instance role in the synthesized template, intrinsics rendered. */
  static JsonNode instancePolicy(World w, Path template) throws java.io.IOException {
    JsonNode t = JSON.readTree(template.toFile());
    List<JsonNode> docs = new ArrayList<>();
    t.path("Resources")
        .forEach(
            r -> {
              if (r.path("Type").asText().equals("AWS::IAM::Role")
                  && r.path("Properties")
                      .path("AssumeRolePolicyDocument")
                      .toString()
                      .contains("ec2.amazonaws.com")) {
                r.path("Properties")
                    .path("Policies")
                    .forEach(p -> docs.add(p.path("PolicyDocument")));
              }
            });
    assertThat(docs).as("one inline policy on the instance role in %s", template).hasSize(1);
    UserData.Resources resources =
        new UserData.Resources() {
          @Override
          public String ref(String stack, String logicalId, JsonNode resource) {
            try {
              return w.account().ref(stack, logicalId, resource);
            } catch (IllegalStateException e) {
              return stand(stack, logicalId, resource);
            }
          }

          @Override
          public String getAtt(
              String stack, String logicalId, JsonNode resource, String attribute) {
            try {
              return w.account().getAtt(stack, logicalId, resource, attribute);
            } catch (IllegalStateException e) {
              return stand(stack, logicalId, resource);
            }
          }
        };
    return new UserData(template.getParent(), World.REGION, resources)
        .renderTree("ZmanimProdCompute", docs.getFirst());
  }

  /**
   * A stand-in value for what the account does not emulate (log groups, the topic...): none of it
   * concerns S3, which this scenario checks.
   */
  private static String stand(String stack, String logicalId, JsonNode resource) {
    String service =
        resource.path("Type").asText("AWS::X::Y").split("::")[1].toLowerCase(java.util.Locale.ROOT);
    return "arn:aws:" + service + ":" + World.REGION + ":123456789012:" + stack + "-" + logicalId;
  }

  /**
   * An IAM user holding {@code policy} as its one inline policy (the stand-in for the role: moto's
   * IAM checks accept only user keys or STS credentials); its access key.
   */
  static AwsCredentials userWithPolicy(World w, String user, JsonNode policy) {
    IamClient iam = w.account().iam();
    iam.createUser(r -> r.userName(user));
    iam.putUserPolicy(
        r -> r.userName(user).policyName("zmanim-instance").policyDocument(policy.toString()));
    AccessKey key = iam.createAccessKey(r -> r.userName(user)).accessKey();
    return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
  }

  /** The call is refused by moto's IAM checks (AccessDenied), not failed any other way. */
  static void assertDenied(String name, Runnable action) {
    assertThatThrownBy(action::run)
        .as("%s must be denied", name)
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e ->
                assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                    .isEqualTo("AccessDenied"));
  }

  /** moto's IAM checks: "0" switches them on at once, "inf" off. */
  static void resetAuth(World w, String value) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(w.account().endpoint() + "/moto-api/reset-auth"))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(value))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("reset-auth %s: %s", value, r.body()).isEqualTo(200);
  }
}
