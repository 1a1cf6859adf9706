package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Layout;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.UserData;
import com.zmanim.rehearsal.World;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The backup history survives a compromised instance: the instance role's own inline policy, taken
 * from the synthesized ZmanimProdCompute template (intrinsics rendered with the world's resources),
 * is loaded into moto as an IAM user's policy; with moto's IAM checks on (/moto-api/reset-auth) and
 * that user's keys, the backup's own S3 actions (put, get, list, delete object) are allowed, while
 * deleting a past object version of the repository and suspending the bucket's versioning are denied;
 * the version is still there afterwards. The AWS CLI stands in for restic, which cannot run while
 * moto's checks are on (moto refuses list requests whose prefix holds a "/"). The role's two managed
 * policies (Session Manager, CloudWatch agent) grant no S3 action and are not loaded.
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
        String bucket = w.env("ZMANIM_BACKUP_BUCKET");
        JsonNode policy = instancePolicy(w, layout.computeTemplate());
        assertThat(policy.toString()).as("the role's policy names the backups bucket").contains("arn:aws:s3:::" + bucket);

        // Checks off: the stand-in user, and a repository object with a past version.
        w.moto().aws("iam", "create-user", "--user-name", "zmanim-instance-role");
        w.moto().aws("iam", "put-user-policy", "--user-name", "zmanim-instance-role", "--policy-name", "zmanim-instance",
                "--policy-document", policy.toString());
        JsonNode key = w.moto().aws("iam", "create-access-key", "--user-name", "zmanim-instance-role").get("AccessKey");
        Path body = w.out().resolve("object.bin");
        Files.writeString(body, "restic key file (stand-in)\n");
        String keyObject = "restic/keys/rehearsal";
        String v1 = w.moto().aws("s3api", "put-object", "--bucket", bucket, "--key", keyObject, "--body", body.toString())
                .get("VersionId").asText();

        Map<String, String> asInstance = Map.of("AWS_ACCESS_KEY_ID", key.get("AccessKeyId").asText(),
                "AWS_SECRET_ACCESS_KEY", key.get("SecretAccessKey").asText(), "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        List<String> allowed = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        resetAuth(w, "0");
        try {
            String pack = "restic/data/00/rehearsal-pack";
            String[][] backupActions = {
                    {"s3api", "put-object", "--bucket", bucket, "--key", pack, "--body", body.toString()},
                    {"s3api", "get-object", "--bucket", bucket, "--key", pack, w.out().resolve("got.bin").toString()},
                    {"s3api", "list-objects-v2", "--bucket", bucket},
                    {"s3api", "delete-object", "--bucket", bucket, "--key", pack},
            };
            for (String[] a : backupActions) {
                Cmd.Result r = aws(layout, w, asInstance, a);
                assertThat(r.exit()).as("the backup's own %s is allowed: %s", a[1], r.err()).isZero();
                allowed.add(a[1]);
            }
            String[][] historyActions = {
                    {"s3api", "delete-object", "--bucket", bucket, "--key", keyObject, "--version-id", v1},
                    {"s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Suspended"},
            };
            for (String[] a : historyActions) {
                Cmd.Result r = aws(layout, w, asInstance, a);
                assertThat(r.exit()).as("%s must be denied", String.join(" ", a)).isNotZero();
                assertThat(r.err()).contains("AccessDenied");
                denied.add(a[1] + (a.length > 7 ? " --version-id" : ""));
            }
        } finally {
            resetAuth(w, "inf");
        }
        JsonNode versions = w.moto().aws("s3api", "list-object-versions", "--bucket", bucket);
        assertThat(versions.path("Versions").findValuesAsText("VersionId")).as("the past version is still there")
                .contains(v1);
        assertThat(w.moto().aws("s3api", "get-bucket-versioning", "--bucket", bucket).path("Status").asText())
                .isEqualTo("Enabled");
        return "instance policy from the template: allowed " + allowed + "; denied " + denied;
    }

    /** The inline policy of the instance role in the synthesized template, intrinsics rendered. */
    static JsonNode instancePolicy(World w, Path template) throws java.io.IOException {
        JsonNode t = JSON.readTree(template.toFile());
        List<JsonNode> docs = new ArrayList<>();
        t.path("Resources").forEach(r -> {
            if (r.path("Type").asText().equals("AWS::IAM::Role")
                    && r.path("Properties").path("AssumeRolePolicyDocument").toString().contains("ec2.amazonaws.com")) {
                r.path("Properties").path("Policies").forEach(p -> docs.add(p.path("PolicyDocument")));
            }
        });
        assertThat(docs).as("one inline policy on the instance role in %s", template).hasSize(1);
        UserData.Resources resources = new UserData.Resources() {
            @Override
            public String ref(String stack, String logicalId, JsonNode resource) {
                try {
                    return w.account().ref(stack, logicalId, resource);
                } catch (IllegalStateException e) {
                    return stand(stack, logicalId, resource);
                }
            }

            @Override
            public String getAtt(String stack, String logicalId, JsonNode resource, String attribute) {
                try {
                    return w.account().getAtt(stack, logicalId, resource, attribute);
                } catch (IllegalStateException e) {
                    return stand(stack, logicalId, resource);
                }
            }
        };
        return new UserData(template.getParent(), World.REGION, resources).renderTree("ZmanimProdCompute", docs.getFirst());
    }

    /**
     * A stand-in value for what the account does not emulate (log groups, the topic...): none of it
     * concerns S3, which this scenario checks.
     */
    private static String stand(String stack, String logicalId, JsonNode resource) {
        String service = resource.path("Type").asText("AWS::X::Y").split("::")[1].toLowerCase(java.util.Locale.ROOT);
        return "arn:aws:" + service + ":" + World.REGION + ":123456789012:" + stack + "-" + logicalId;
    }

    static Cmd.Result aws(Layout layout, World w, Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of(layout.tool("aws").toString(), "--endpoint-url", w.moto().endpoint(),
                "--region", World.REGION, "--output", "json"));
        argv.addAll(List.of(args));
        return Cmd.run(Duration.ofSeconds(60), argv, env, null);
    }

    /** moto's IAM checks: "0" switches them on at once, "inf" off. */
    static void resetAuth(World w, String value) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(w.moto().endpoint() + "/moto-api/reset-auth")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(value)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("reset-auth %s: %s", value, r.body()).isEqualTo(200);
    }
}
