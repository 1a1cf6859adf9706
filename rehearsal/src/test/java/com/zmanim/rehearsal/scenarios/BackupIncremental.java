package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;

/**
 * Deduplication between days: a generated database (a quarter of backup-restore's, ~256 MiB, to
 * keep the rehearsal short; backup-restore measures the same at ~1 GiB) is backed up, about 1 % of
 * its rows change as an application changes them (recent rows updated, new rows, a few deletes),
 * and the next backup adds little to the repository (restic deduplicates the uncompressed dump):
 * less than a quarter of the full backup, measured as the bucket's growth and as the
 * BackupSizeBytes the backup published. Then every 100th row changes and the growth is recorded,
 * not asserted: evenly spread changes leave no chunk of the dump intact (docs/benchmarks.md).
 */
final class BackupIncremental implements Scenario {
  @Override
  public String name() {
    return "backup-incremental";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance i = Backups.launchWithRepository(w);
    long dbBytes = SampleData.generate(i, 0.25);
    Backups.assertUnitSucceeded(
        i, "restic-backup.service", Backups.startUnit(i, "restic-backup.service"));
    long full = Backups.repositoryBytes(w);
    String before = SampleData.tableDigests(i).get("public.bench_events");

    SampleData.changeOnePercent(i);
    assertThat(SampleData.tableDigests(i).get("public.bench_events"))
        .as("rows changed")
        .isNotEqualTo(before);
    Backups.assertUnitSucceeded(
        i, "restic-backup.service", Backups.startUnit(i, "restic-backup.service"));
    long added = Backups.repositoryBytes(w) - full;
    double ratio = (double) added / full;

    assertThat(Backups.snapshots(i)).as("two runs of three snapshots").hasSize(6);
    assertThat(Backups.metric(w, "BackupSizeBytes"))
        .as("published sizes")
        .hasSize(2)
        .satisfies(v -> assertThat(v.get(1)).isLessThan(v.get(0) * 0.25));
    assertThat(ratio)
        .as("bucket growth after a 1 %% change, relative to the full backup")
        .isPositive()
        .isLessThan(0.25);

    // Measured, not asserted: 1 % of the rows changed evenly (every 100th) touches every chunk.
    long beforeScattered = Backups.repositoryBytes(w);
    SampleData.changeEveryHundredthRow(i);
    Backups.assertUnitSucceeded(
        i, "restic-backup.service", Backups.startUnit(i, "restic-backup.service"));
    long scattered = Backups.repositoryBytes(w) - beforeScattered;
    double scatteredRatio = (double) scattered / full;
    results.metric("backup_incremental_small_db_bytes", dbBytes);
    results.metric("backup_incremental_small_ratio", Math.round(ratio * 10000) / 10000.0);
    results.metric(
        "backup_incremental_scattered_ratio", Math.round(scatteredRatio * 10000) / 10000.0);
    return String.format(
        "db %s: full %s; 1%% of rows changed in recent rows +%s (%.1f%%); every 100th row "
            + "changed +%s (%.1f%%, not deduplicable)",
        Backups.mib(dbBytes),
        Backups.mib(full),
        Backups.mib(added),
        ratio * 100,
        Backups.mib(scattered),
        scatteredRatio * 100);
  }
}
