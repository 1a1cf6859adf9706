package com.zmanim.infrastructure.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.zmanim.infrastructure.config.ZmanimConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What point-in-time recovery and the immutable history add to the bill, from the synthesized
 * templates (PITR window and archive timeout from the user data, Object Lock and noncurrent-version
 * days from the backups bucket, the DLM policy's retention, the request-metrics filters) and the
 * price table's stated assumptions: the WAL archive in S3 at idle and at a stated write rate, the
 * daily EBS snapshots, Object Lock's versions kept beyond the lifecycle, S3 request metrics.
 *
 * @param pitrDays the PITR window (user data {@code PitrRetentionDays})
 * @param archiveTimeoutS PostgreSQL's archive_timeout (user data {@code ArchiveTimeoutSeconds})
 * @param lockDays Object Lock default retention of the backups bucket (0 = none)
 * @param noncurrentDays days a deleted or overwritten version is kept by lifecycle
 * @param snapshotDays daily DLM snapshots kept (0 = no policy)
 * @param metricsFilters S3 request-metrics filters on the buckets
 */
public record RecoveryCost(
    int pitrDays,
    int archiveTimeoutS,
    int lockDays,
    int noncurrentDays,
    int snapshotDays,
    int metricsFilters) {

  private static final double KB_PER_GB = 1024.0 * 1024.0;
  private static final double SEGMENT_GB = 16.0 / 1024.0;

  /**
   * Reads the parameters from the compute and storage templates; null when the stacks have no PITR.
   */
  public static RecoveryCost from(JsonNode compute, JsonNode storage) {
    JsonNode vars = null;
    for (JsonNode r : compute.path("Resources")) {
      JsonNode sub =
          r.path("Properties")
              .path("LaunchTemplateData")
              .path("UserData")
              .path("Fn::Base64")
              .path("Fn::Sub");
      if (sub.isArray() && sub.size() == 2) {
        vars = sub.get(1);
      }
    }
    if (vars == null || !vars.has("PitrRetentionDays")) {
      return null;
    }
    int lock = 0;
    int noncurrent = 0;
    int filters = 0;
    for (JsonNode r : storage.path("Resources")) {
      JsonNode p = r.path("Properties");
      if (!"AWS::S3::Bucket".equals(r.path("Type").asText())) {
        continue;
      }
      filters += p.path("MetricsConfigurations").size();
      int days =
          p.path("ObjectLockConfiguration")
              .path("Rule")
              .path("DefaultRetention")
              .path("Days")
              .asInt(0);
      if (days > 0) {
        lock = days;
        for (JsonNode rule : p.path("LifecycleConfiguration").path("Rules")) {
          noncurrent =
              Math.max(
                  noncurrent,
                  rule.path("NoncurrentVersionExpiration").path("NoncurrentDays").asInt(0));
        }
      }
    }
    int snapshots = 0;
    for (JsonNode r : compute.path("Resources")) {
      if ("AWS::DLM::LifecyclePolicy".equals(r.path("Type").asText())) {
        for (JsonNode schedule : r.path("Properties").path("PolicyDetails").path("Schedules")) {
          snapshots += schedule.path("RetainRule").path("Interval").asInt(0);
        }
      }
    }
    return new RecoveryCost(
        vars.path("PitrRetentionDays").asInt(),
        vars.path("ArchiveTimeoutSeconds").asInt(),
        lock,
        noncurrent,
        snapshots,
        filters);
  }

  /**
   * Days a WAL segment's version stays billable: in the repository for the window plus the
   * full-backup interval (pgBackRest expires WAL with the full backup it belongs to), then as a
   * noncurrent version, and never less than its Object Lock retention.
   */
  public int walKeptDays() {
    return Math.max(pitrDays + ZmanimConfig.FULL_BACKUP_INTERVAL_DAYS + noncurrentDays, lockDays);
  }

  /**
   * The monthly lines included in the total: WAL archive at idle, snapshots, lock, request metrics.
   */
  public List<CostEstimate.Line> idle(String region, PriceTable prices) {
    List<CostEstimate.Line> lines = new ArrayList<>();
    // Measured: the heartbeat's segment, then the checkpoint it causes switched into another one.
    double perHeartbeat = prices.assumption("walIdleSegmentsPerHeartbeat");
    double segmentsPerDay = 24 * 60 / prices.assumption("walHeartbeatMinutes") * perHeartbeat;
    double gbPerDay = segmentsPerDay * prices.assumption("walSegmentIdleKb") / KB_PER_GB;
    wal(
        lines,
        String.format(
            Locale.ROOT,
            "idle: %.0f segments per %.0f-min heartbeat",
            perHeartbeat,
            prices.assumption("walHeartbeatMinutes")),
        segmentsPerDay,
        gbPerDay,
        region,
        prices);
    if (snapshotDays > 0) {
      double gb =
          prices.assumption("snapshotUsedGb")
              + prices.assumption("snapshotDailyChangeGb") * snapshotDays;
      double p = prices.price(region, "ebsSnapshotPerGbMonth");
      lines.add(
          new CostEstimate.Line(
              "EBS snapshots by DLM (" + snapshotDays + " daily, incremental)",
              gb,
              "GB-months",
              p,
              gb * p));
    }
    if (lockDays > 0) {
      // The worst case: a version deleted the moment it was written is kept lockDays by the lock
      // and noncurrentDays by lifecycle anyway; only the difference is the lock's own cost.
      double extraDays = Math.max(0, lockDays - noncurrentDays);
      double gb = extraDays * busyGbPerDay(prices) / 30.0;
      double p = prices.price(region, "s3StandardPerGbMonth");
      lines.add(
          new CostEstimate.Line(
              String.format(
                  Locale.ROOT,
                  "Object Lock: versions kept beyond lifecycle (%d d lock, %d d noncurrent)",
                  lockDays,
                  noncurrentDays),
              gb,
              "GB-months",
              p,
              gb * p));
    }
    if (metricsFilters > 0) {
      double metrics = metricsFilters * prices.assumption("s3RequestMetricsPerFilter");
      double p = prices.price(region, "cloudwatchMetricPerMonth");
      lines.add(
          new CostEstimate.Line(
              "S3 request metrics (" + metricsFilters + " filter, AWS-measured alarm)",
              metrics,
              "metrics",
              p,
              metrics * p));
    }
    return lines;
  }

  /** The WAL archive at the table's stated write rate (informational, not in the total). */
  public List<CostEstimate.Line> busy(String region, PriceTable prices) {
    List<CostEstimate.Line> lines = new ArrayList<>();
    double walGb = prices.assumption("walBusyGbPerDay");
    double segmentsPerDay = Math.max(86_400.0 / archiveTimeoutS, walGb / SEGMENT_GB);
    wal(
        lines,
        String.format(
            Locale.ROOT,
            "%.0f GiB of WAL/day, a switch at least every %d s",
            walGb,
            archiveTimeoutS),
        segmentsPerDay,
        busyGbPerDay(prices),
        region,
        prices);
    return lines;
  }

  private static double busyGbPerDay(PriceTable prices) {
    return prices.assumption("walBusyGbPerDay") / prices.assumption("walCompressionRatio");
  }

  private void wal(
      List<CostEstimate.Line> lines,
      String what,
      double segmentsPerDay,
      double gbPerDay,
      String region,
      PriceTable prices) {
    double stored = gbPerDay * walKeptDays();
    double s3 = prices.price(region, "s3StandardPerGbMonth");
    lines.add(
        new CostEstimate.Line(
            "WAL archive S3 storage, " + what + ", kept " + walKeptDays() + " d",
            stored,
            "GB-months",
            s3,
            stored * s3));
    double puts = segmentsPerDay * 30;
    double put = prices.price(region, "s3PutPer1000") / 1000;
    lines.add(
        new CostEstimate.Line("WAL archive S3 PUTs, " + what, puts, "requests", put, puts * put));
  }
}
