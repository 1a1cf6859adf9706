package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Layout;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An attacker with code execution as the API's user. Inside the instance, as user zmanim (plainly,
 * and inside the running API's own mount namespace): the metadata service does not answer (root's
 * does), and no file holding a secret can be read. Then the attacker is granted the instance role's
 * own credentials anyway (its inline policy from the synthesized template, enforced by moto's IAM
 * checks) and deletes every backup object it can: every object gets a delete marker, while deleting
 * a version and suspending versioning are denied. The next backup fails loudly ("does not exist",
 * e-mail, no BackupSuccess) and creates no new repository. The operator removes the delete markers
 * (the undelete of a versioned bucket) and the restore brings every table back.
 */
final class CompromisedApi implements Scenario {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZMANIM = "runuser -u zmanim -- ";

    @Override
    public String name() {
        return "compromised-api";
    }

    @Override
    public String run(World w, Results results) throws Exception {
        Instance i = Backups.launchWithRepository(w);
        Backups.generate(i, 0.005);
        Backups.assertUnitSucceeded(i, "restic-backup.service", Backups.startUnit(i, "restic-backup.service"));
        Map<String, String> backedUp = Backups.tableDigests(i);

        // 1. The metadata service: root's request answers, zmanim's does not (plain and in the API's namespace).
        String imds = "http://" + w.hostAddress() + ":1338"; // ZMANIM_IMDS_ENDPOINT of the world's endpoints.env
        String token = "curl -fsS --max-time 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' " + imds
                + "/latest/api/token";
        assertThat(i.sh(token).exit()).as("root reaches the metadata service (the control)").isZero();
        assertThat(i.sh(ZMANIM + token).exit()).as("user zmanim reaches the metadata service").isNotZero();
        String apiPid = i.exec("systemctl", "show", "-P", "MainPID", "zmanim-api.service").out().strip();
        assertThat(apiPid).isNotIn("", "0");
        String inApi = "nsenter -t " + apiPid + " -m --setuid=$(id -u zmanim) --setgid=$(id -g zmanim) -- ";
        assertThat(i.sh(inApi + token).exit()).as("zmanim in the API's namespace reaches the metadata service")
                .isNotZero();

        // 2. No file holding a secret is readable by zmanim (the JVM's own environment aside).
        String patterns = String.join("\n", w.secrets().values()) + "\n";
        // On the root filesystem (the instance's /run is a tmpfs the harness cannot write from outside).
        Files.writeString(i.root().resolve("var/tmp/rehearsal-patterns"), patterns);
        i.exec("chmod", "0644", "/var/tmp/rehearsal-patterns").check();
        String readable = i.sh(ZMANIM + "grep -rlsFf /var/tmp/rehearsal-patterns --exclude-dir=proc --exclude-dir=sys"
                + " --exclude-dir=dev / 2>/dev/null | grep -v '^/var/tmp/rehearsal-patterns$' || true").out().strip();
        i.exec("rm", "-f", "/var/tmp/rehearsal-patterns").check();
        assertThat(readable).as("files with a secret that zmanim can read").isEmpty();
        for (String f : List.of("/opt/zmanim/config.env", "/etc/restic/env", "/etc/restic/password",
                "/etc/redis/zmanim-secrets.conf", "/data/postgres/PG_VERSION")) {
            assertThat(i.sh(ZMANIM + "cat " + f).exit()).as("zmanim reads %s", f).isNotZero();
            assertThat(i.sh(inApi + "cat " + f).exit()).as("zmanim reads %s in the API's namespace", f).isNotZero();
        }

        // 3. With the role's own credentials: delete what it can; history stays.
        Layout layout = Layout.fromEnvironment();
        String bucket = w.env("ZMANIM_BACKUP_BUCKET");
        JsonNode policy = BackupHistorySafe.instancePolicy(w, layout.computeTemplate());
        w.moto().aws("iam", "create-user", "--user-name", "attacker-with-role");
        w.moto().aws("iam", "put-user-policy", "--user-name", "attacker-with-role", "--policy-name", "zmanim-instance",
                "--policy-document", policy.toString());
        JsonNode key = w.moto().aws("iam", "create-access-key", "--user-name", "attacker-with-role").get("AccessKey");
        Map<String, String> asRole = Map.of("AWS_ACCESS_KEY_ID", key.get("AccessKeyId").asText(),
                "AWS_SECRET_ACCESS_KEY", key.get("SecretAccessKey").asText(), "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        List<String> keys = new ArrayList<>(Backups.repositoryObjects(w).keySet());
        assertThat(keys).as("the repository's objects").contains(Backups.REPO_PREFIX + "config");
        JsonNode before = w.moto().aws("s3api", "list-object-versions", "--bucket", bucket);
        String configVersion = versionOf(before, Backups.REPO_PREFIX + "config");
        List<String> denied = new ArrayList<>();
        BackupHistorySafe.resetAuth(w, "0");
        try {
            Cmd.Result list = BackupHistorySafe.aws(layout, w, asRole, "s3api", "list-objects-v2", "--bucket", bucket);
            assertThat(list.exit()).as("the role lists the bucket: %s", list.err()).isZero();
            // One delete per object (moto answers a multi-object delete under IAM checks with per-key errors).
            for (JsonNode o : JSON.readTree(list.out()).path("Contents")) {
                Cmd.Result del = BackupHistorySafe.aws(layout, w, asRole, "s3api", "delete-object", "--bucket", bucket,
                        "--key", o.get("Key").asText());
                assertThat(del.exit()).as("the role deletes %s: %s", o.get("Key").asText(), del.err()).isZero();
            }
            String[][] history = {
                    {"s3api", "delete-object", "--bucket", bucket, "--key", Backups.REPO_PREFIX + "config", "--version-id",
                            configVersion},
                    {"s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Suspended"},
            };
            for (String[] a : history) {
                Cmd.Result r = BackupHistorySafe.aws(layout, w, asRole, a);
                assertThat(r.exit()).as("%s must be denied", String.join(" ", a)).isNotZero();
                assertThat(r.err()).contains("AccessDenied");
                denied.add(a[1]);
            }
        } finally {
            BackupHistorySafe.resetAuth(w, "inf");
        }
        assertThat(Backups.repositoryObjects(w)).as("no current object left").isEmpty();

        // 4. The next backup fails loudly and creates nothing.
        Cmd.Result failed = Backups.startUnit(i, "restic-backup.service");
        assertThat(failed.exit()).as("the backup after the deletion").isNotZero();
        assertThat(Backups.scriptLog(i, "restic-backup.service", "zmanim-backup"))
                .contains("does not exist: nothing was backed up");
        assertThat(Backups.awaitMails(w, 1, Duration.ofSeconds(60))).as("failure e-mail")
                .anyMatch(s -> s.contains("FAILED: restic-backup.service"));
        assertThat(Backups.repositoryObjects(w)).as("no new repository created").isEmpty();
        assertThat(Backups.metric(w, "BackupSuccess")).as("only the first backup's success").containsExactly(1.0);

        // 5. The operator's undelete: remove the delete markers the attacker placed (on the objects that
        // were current before it; not restic's own earlier ones on its lock files, which would bring
        // stale locks back), then the restore.
        JsonNode after = w.moto().aws("s3api", "list-object-versions", "--bucket", bucket);
        int markers = 0;
        for (JsonNode m : after.path("DeleteMarkers")) {
            if (m.path("IsLatest").asBoolean() && keys.contains(m.get("Key").asText())) {
                w.moto().aws("s3api", "delete-object", "--bucket", bucket, "--key", m.get("Key").asText(),
                        "--version-id", m.get("VersionId").asText());
                markers++;
            }
        }
        assertThat(Backups.repositoryObjects(w).keySet()).as("objects back after the undelete").containsAll(keys);
        Backups.psqlScript(i, "zmanim", "DELETE FROM bench_users;");
        Cmd.Result restore = i.exec(Backups.UNIT, "zmanim-restore", "--force");
        assertThat(restore.exit()).as("zmanim-restore --force: %s", restore.err()).isZero();
        i.awaitHealthy(Duration.ofMinutes(2));
        assertThat(Backups.tableDigests(i)).as("every table restored").isEqualTo(backedUp);
        return "IMDS refused to zmanim; no secret file readable; role deleted " + keys.size() + " objects, denied "
                + denied + "; backup failed loudly, nothing created; " + markers + " markers removed, restore verified";
    }

    private static String versionOf(JsonNode versions, String key) {
        for (JsonNode v : versions.path("Versions")) {
            if (v.get("Key").asText().equals(key)) {
                return v.get("VersionId").asText();
            }
        }
        throw new AssertionError("no version of " + key);
    }
}
