package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The volume's AZ is lost for good: the instance dies with it (killed, no clean shutdown) and the
 * volume's every byte is gone. The operator's sequence of docs/runbooks/restore.md B: one deploy with
 * the next dataVolumeGeneration, the other AZ (dataVolumeAz 1) and blankVolume restore (the CDK app
 * synthesized again with that context; the new volume and the new instance in the emulated region's
 * second AZ); the new instance's boot formats the new blank volume and restores the latest point
 * from the bucket, with nothing but SSM and the bucket to go on, before anything starts. Then the
 * runbook's on-instance checks and base backup, run verbatim. Every acknowledged commit up to the
 * archived end is back without a gap; the API serves.
 */
final class AzLoss implements Scenario {
    static final String DEPLOY_CONTEXT = "{\"dataVolumeGeneration\":2,\"dataVolumeAz\":1,\"blankVolume\":\"restore\"}";
    static final String BOOT_LOG = "journalctl -b -t zmanim-boot --no-pager -o cat | grep -E 'restor|recovery'";

    @Override
    public String name() {
        return "az-loss";
    }

    @Override
    public String run(World w, Results results) throws Exception {
        String runbook = Files.readString(com.zmanim.rehearsal.Layout.fromEnvironment().repo()
                .resolve("docs/runbooks/restore.md"));
        assertThat(runbook).as("runbook B holds the deploy and the commands this scenario runs")
                .contains("CDK_CONTEXT_JSON='" + DEPLOY_CONTEXT + "'", BOOT_LOG, Pitr.HEALTH, Pitr.BASE_BACKUP);
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
        src.kill();
        w.account().terminateInstance(src.spec().instanceId());

        // The operator's deploy: a new volume generation in the other AZ, blank volumes restored.
        w.account().useAz(World.REGION + "b");
        w.redeploy(DEPLOY_CONTEXT);
        assertThat(w.volumeId()).as("a new volume").isNotEqualTo(oldVolume);
        assertThat(w.env("ZMANIM_BLANK_VOLUME")).isEqualTo("restore");
        assertThat(Steps.volumeRecord(w).path("AvailabilityZone").asText()).as("the new volume's AZ")
                .isEqualTo(World.REGION + "b").isNotEqualTo(oldAz);

        Instance fresh = w.launch();
        Instant launched = fresh.launchedAt();
        Instant healthy = fresh.awaitHealthy(Duration.ofMinutes(10));
        Steps.awaitBootComplete(fresh);
        double rto = Duration.between(launched, healthy).toMillis() / 1000.0;
        String bootLog = Pitr.sh(fresh, BOOT_LOG).check().out();
        assertThat(bootLog).contains("ZMANIM_BLANK_VOLUME=restore").contains("recovery from the repository complete");
        assertThat(Pitr.sh(fresh, Pitr.HEALTH).check().out()).contains("\"database\":\"ok\"");
        String[] restored = fresh.psql("zmanim", "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM pitr_writes").split(" ");
        assertThat(Long.parseLong(restored[0])).as("no gap").isEqualTo(Long.parseLong(restored[1]));
        assertThat(Long.parseLong(restored[1])).as("every acknowledged commit (all were archived)")
                .isEqualTo((long) acks.getLast()[0]);
        Cmd.Result backup = Pitr.sh(fresh, Pitr.BASE_BACKUP);
        Backups.assertUnitSucceeded(fresh, "restic-backup.service", backup);
        assertThat(Backups.apiQuery(w, fresh, "/api/v1/localities/search?q=Jerusalem").statusCode()).isEqualTo(200);
        results.metric("rto_az_loss_s", Math.round(rto * 10) / 10.0);
        return String.format("volume %s in %s lost; deploy %s; new volume %s in %s restored by boot: %d commits, "
                + "launch to healthy %.1f s; base backup of the new timeline taken", oldVolume, oldAz, DEPLOY_CONTEXT,
                w.volumeId(), World.REGION + "b", acks.size(), rto);
    }
}
