package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Layout;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The volume's AZ is lost for good: the instance dies with it (killed, no clean shutdown) and the
 * volume's every byte is gone. The operator's sequence of docs/runbooks/restore.md B, its commands
 * taken from the runbook: the deploy with the next dataVolumeGeneration, the other AZ (dataVolumeAz
 * 1) and blankVolume restore (the CDK app synthesized with exactly the runbook's -c values, as the
 * CDK CLI passes them; the new volume in the AZ the template gives it), then the new instance's
 * boot formats the blank volume and restores the latest point from the bucket, with nothing but SSM
 * and the bucket to go on, before anything starts. Every acknowledged commit up to the archived end
 * is back without a gap; the API serves; the runbook's checks and base backup run verbatim. Last, a
 * reboot on the now non-empty volume, still configured blankVolume restore: nothing is restored
 * over it (a row written after the restore survives).
 */
final class AzLoss implements Scenario {
  static final String DEPLOY =
      "cd infrastructure && npx cdk deploy -c dataVolumeGeneration=2 -c dataVolumeAz=1"
          + " -c blankVolume=restore ZmanimProdCompute";
  static final String BOOT_LOG =
      "journalctl -b -t zmanim-boot --no-pager -o cat | grep -E 'restor|recovery'";
  private static final Pattern CONTEXT = Pattern.compile("-c ([A-Za-z]+)=(\\S+)");

  @Override
  public String name() {
    return "az-loss";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    String runbook =
        Files.readString(Layout.fromEnvironment().repo().resolve("docs/runbooks/restore.md"));
    assertThat(runbook)
        .as("runbook B holds the deploy and the commands this scenario runs")
        .contains(DEPLOY, BOOT_LOG, Pitr.HEALTH, Pitr.BASE_BACKUP);
    Instance src = Backups.launchWithRepository(w);
    String oldVolume = w.volumeId();
    String oldAz = w.account().az();
    Pitr.createWrites(src);
    Backups.assertUnitSucceeded(src, "restic-backup.service", Pitr.sh(src, Pitr.BASE_BACKUP));
    Pitr.startWriter(src);
    Pitr.awaitAcks(src, 200, Duration.ofMinutes(2));
    Pitr.stopWriter(src);
    List<double[]> acks = Pitr.acks(src);
    Pitr.archiveNow(src);
    String committed =
        src.psql("zmanim", "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM pitr_writes");
    src.kill();
    w.account().terminateInstance(src.spec().instanceId());

    // The operator's deploy: the runbook's -c values, strings as the CDK CLI hands them to the app.
    ObjectNode context = new ObjectMapper().createObjectNode();
    Matcher m = CONTEXT.matcher(DEPLOY);
    while (m.find()) {
      context.put(m.group(1), m.group(2));
    }
    assertThat(context.size()).as("-c values in the runbook's deploy").isEqualTo(3);
    w.account().useAz(World.REGION + "b");
    w.redeploy(context.toString());
    JsonNode az = newVolumeAz(w);
    assertThat(az.toString())
        .as("the new volume's AZ in the template: the second subnet's (dataVolumeAz 1)")
        .contains("AppSubnetAz1");
    assertThat(w.volumeId()).as("a new volume").isNotEqualTo(oldVolume);
    assertThat(w.deployment().userData())
        .as("the deploy's user data")
        .contains("ZMANIM_BLANK_VOLUME=restore");
    assertThat(Steps.volumeRecord(w).availabilityZone())
        .as("the new volume's AZ")
        .isEqualTo(World.REGION + "b")
        .isNotEqualTo(oldAz);
    assertThat(Steps.blkid(w, "TYPE")).as("the new volume is blank").isEmpty();

    Instance fresh = w.launch();
    Instant launched = fresh.launchedAt();
    Instant healthy = fresh.awaitHealthy(Duration.ofMinutes(10));
    Steps.awaitBootComplete(fresh);
    double rto = Duration.between(launched, healthy).toMillis() / 1000.0;
    String bootLog = Pitr.sh(fresh, BOOT_LOG).check().out();
    assertThat(bootLog)
        .contains("ZMANIM_BLANK_VOLUME=restore")
        .contains("recovery from the repository complete");
    assertThat(Pitr.sh(fresh, Pitr.HEALTH).check().out()).contains("\"database\":\"ok\"");
    String restored =
        fresh.psql("zmanim", "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM pitr_writes");
    assertThat(restored)
        .as("rows (count, newest id) restored = committed before the loss (all were archived)")
        .isEqualTo(committed);
    assertThat(Long.parseLong(restored.split(" ")[1]))
        .as("every acknowledged commit")
        .isGreaterThanOrEqualTo((long) acks.getLast()[0]);
    assertThat(fresh.root().resolve("data/.zmanim-restore-pending"))
        .as("the restore marker is gone")
        .doesNotExist();
    Backups.assertUnitSucceeded(fresh, "restic-backup.service", Pitr.sh(fresh, Pitr.BASE_BACKUP));
    assertThat(Backups.apiQuery(w, fresh, "/api/v1/localities/search?q=Jerusalem").statusCode())
        .isEqualTo(200);

    // The volume holds data now: a reboot with blankVolume still restore must not restore over it.
    fresh.psql("zmanim", "INSERT INTO pitr_writes DEFAULT VALUES");
    long afterRestore = Long.parseLong(restored.split(" ")[0]) + 1;
    w.reboot(fresh);
    fresh.awaitHealthy(Steps.FIRST_BOOT);
    Steps.awaitBootComplete(fresh);
    String rebootLog = Pitr.sh(fresh, BOOT_LOG + " || true").out();
    assertThat(rebootLog)
        .as("this boot restored nothing")
        .doesNotContain("ZMANIM_BLANK_VOLUME=restore");
    assertThat(fresh.psql("zmanim", "SELECT count(*) FROM pitr_writes"))
        .as("the row written after the restore")
        .isEqualTo(String.valueOf(afterRestore));

    results.metric("rto_az_loss_s", Math.round(rto * 10) / 10.0);
    return String.format(
        "volume %s in %s lost; deploy %s; new volume %s in %sb restored by boot: %d commits, "
            + "launch to healthy %.1f s; base backup of the new timeline taken; a reboot restored nothing over it",
        oldVolume, oldAz, context, w.volumeId(), World.REGION, acks.size(), rto);
  }

  /** The AvailabilityZone property of the data volume in the redeployed compute template. */
  private static JsonNode newVolumeAz(World w) throws java.io.IOException {
    JsonNode template =
        new ObjectMapper()
            .readTree(w.out().resolve("cdk.out-redeploy/ZmanimProdCompute.template.json").toFile());
    for (JsonNode r : template.path("Resources")) {
      if (r.path("Type").asText().equals("AWS::EC2::Volume")) {
        return r.path("Properties").path("AvailabilityZone");
      }
    }
    throw new AssertionError("no AWS::EC2::Volume in the redeployed compute template");
  }
}
