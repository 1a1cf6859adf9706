package com.zmanim.infrastructure.cost;

import static com.zmanim.infrastructure.cost.Templates.find;
import static com.zmanim.infrastructure.cost.Templates.resources;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The monthly on-demand cost of what the synthesized compute and storage templates create, priced
 * from the {@link PriceTable}: instances (launch template x group size), gp3 volumes (GB plus IOPS
 * and throughput above the free baseline), public IPv4 (Elastic IPs), detailed monitoring, the
 * CloudWatch agent's custom metrics, alarms, logs and S3 (sizes assumed by the table).
 */
public final class CostEstimate {

  /** One line of the estimate. */
  public record Line(String item, double quantity, String unit, double unitPrice, double monthly) {}

  private static final String SYNTH_HINT = "run make synth first";

  private CostEstimate() {}

  /**
   * @param templates stack name → synthesized template; must contain the compute and storage stacks
   * @param region the region to price
   */
  public static List<Line> of(Map<String, JsonNode> templates, String region, PriceTable prices) {
    JsonNode compute = find(templates, "Compute", SYNTH_HINT);
    JsonNode storage = find(templates, "Storage", SYNTH_HINT);
    double hours = prices.hoursPerMonth();
    List<Line> lines = new ArrayList<>();

    int instances = 0;
    for (JsonNode group : resources(compute, "AWS::AutoScaling::AutoScalingGroup")) {
      instances += Integer.parseInt(group.path("Properties").path("MaxSize").asText("0"));
    }
    for (JsonNode lt : resources(compute, "AWS::EC2::LaunchTemplate")) {
      JsonNode data = lt.path("Properties").path("LaunchTemplateData");
      lines.add(instanceHours(data.path("InstanceType").asText(), instances, "", region, prices));
      for (JsonNode mapping : data.path("BlockDeviceMappings")) {
        JsonNode ebs = mapping.path("Ebs");
        gp3(
            lines,
            "root volume " + mapping.path("DeviceName").asText() + " (x" + instances + ")",
            ebs,
            instances,
            region,
            prices);
      }
      if (data.path("Monitoring").path("Enabled").asBoolean(false)) {
        lines.add(detailedMonitoring(instances, region, prices));
      }
    }
    for (JsonNode volume : resources(compute, "AWS::EC2::Volume")) {
      gp3(lines, "data volume", volume.path("Properties"), 1, region, prices);
    }
    int agentMetrics = 0;
    for (JsonNode parameter : resources(compute, "AWS::SSM::Parameter")) {
      if (parameter.path("Properties").path("Name").asText().startsWith("AmazonCloudWatch-")) {
        agentMetrics +=
            agentMetricCount(parameter.path("Properties").path("Value").asText(), prices)
                * instances;
      }
    }
    if (agentMetrics > 0) {
      double perMetric = prices.price(region, "cloudwatchMetricPerMonth");
      lines.add(
          new Line(
              "CloudWatch agent metrics (estimated from its config)",
              agentMetrics,
              "metrics",
              perMetric,
              agentMetrics * perMetric));
    }
    int eips = resources(compute, "AWS::EC2::EIP").size();
    double ipv4 = prices.price(region, "publicIpv4PerHour");
    lines.add(
        new Line(
            "Elastic IP (public IPv4, charged in use too)",
            eips * hours,
            "IP-hours",
            ipv4,
            eips * hours * ipv4));
    // CloudWatch bills an alarm per metric it reads: a metric-math alarm costs one per metric in
    // it.
    int alarmMetrics = 0;
    for (JsonNode a : resources(compute, "AWS::CloudWatch::Alarm")) {
      int read = 0;
      for (JsonNode m : a.path("Properties").path("Metrics")) {
        read += m.has("MetricStat") ? 1 : 0;
      }
      alarmMetrics += Math.max(1, read);
    }
    double alarm = prices.price(region, "cloudwatchAlarmPerMonth");
    lines.add(
        new Line(
            "CloudWatch alarms (standard, per metric read)",
            alarmMetrics,
            "alarm metrics",
            alarm,
            alarmMetrics * alarm));
    lines.addAll(MonitoringCost.from(compute).lines(region, prices));
    int logGroups = resources(compute, "AWS::Logs::LogGroup").size();
    if (logGroups > 0) {
      lines.add(logsIngestion(logGroups, region, prices));
    }
    RecoveryCost recovery = RecoveryCost.from(compute, storage);
    if (recovery != null) {
      lines.addAll(recovery.idle(region, prices));
    }
    int buckets = resources(storage, "AWS::S3::Bucket").size();
    if (buckets > 0) {
      lines.add(s3Standard(buckets, "", region, prices));
    }
    return lines;
  }

  /**
   * Lines not in the total: the WAL archive at the price table's stated write rate (the total
   * prices an idle database). Empty when the stacks have no point-in-time recovery.
   */
  public static List<Line> atStatedWriteRate(
      Map<String, JsonNode> templates, String region, PriceTable prices) {
    RecoveryCost recovery =
        RecoveryCost.from(
            find(templates, "Compute", SYNTH_HINT), find(templates, "Storage", SYNTH_HINT));
    return recovery == null ? List.of() : recovery.busy(region, prices);
  }

  /** Lines not in the total: the API's metric lines written per request at the stated rate. */
  public static List<Line> apiMetricsPerRequest(
      Map<String, JsonNode> templates, String region, PriceTable prices) {
    return MonitoringCost.from(find(templates, "Compute", SYNTH_HINT)).perRequest(region, prices);
  }

  public static double total(List<Line> lines) {
    return lines.stream().mapToDouble(Line::monthly).sum();
  }

  /** The report as text: one line per item, then the total. */
  public static String format(
      List<Line> lines, String region, String regionNote, PriceTable prices) {
    return format(
        "Monthly on-demand cost of the compute + storage stacks",
        lines,
        region,
        regionNote,
        prices);
  }

  /** The same with another title (the ha profile's section). */
  public static String format(
      String title, List<Line> lines, String region, String regionNote, PriceTable prices) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%s in %s%s%n", title, region, regionNote));
    out.append(
        String.format(
            Locale.ROOT,
            "Prices: %s, recorded %s (%s).%n%n",
            PriceTable.RESOURCE,
            prices.recorded(),
            "USD, " + (int) prices.hoursPerMonth() + " h/month"));
    out.append(
        String.format(
            Locale.ROOT,
            "%-76s %12s %-16s %10s %10s%n",
            "item",
            "quantity",
            "unit",
            "unit USD",
            "USD/month"));
    rows(out, lines, "total");
    return out.toString();
  }

  /** A titled section of extra lines with their own sum (e.g. the WAL archive at a write rate). */
  public static String formatSection(String title, List<Line> lines) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n%s%n", title));
    rows(out, lines, "sum");
    return out.toString();
  }

  /** {@code lines}, one row each, and a row {@code sumLabel} with their sum. */
  private static void rows(StringBuilder out, List<Line> lines, String sumLabel) {
    for (Line l : lines) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-76s %12.2f %-16s %10.6f %10.2f%n",
              l.item(),
              l.quantity(),
              l.unit(),
              l.unitPrice(),
              l.monthly()));
    }
    out.append(
        String.format(
            Locale.ROOT, "%-76s %12s %-16s %10s %10.2f%n", sumLabel, "", "", "", total(lines)));
  }

  /**
   * {@code instances} on-demand instances of {@code type} all month; {@code note} follows the
   * count.
   */
  static Line instanceHours(
      String type, int instances, String note, String region, PriceTable prices) {
    double hours = prices.hoursPerMonth();
    double perHour = prices.instancePerHour(region, type);
    return new Line(
        "EC2 " + type + " on-demand (x" + instances + note + ")",
        instances * hours,
        "instance-hours",
        perHour,
        instances * hours * perHour);
  }

  /** The 1-minute EC2 metrics of {@code instances} instances. */
  static Line detailedMonitoring(int instances, String region, PriceTable prices) {
    double metrics = prices.price(region, "detailedMonitoringMetricsPerInstance") * instances;
    double perMetric = prices.price(region, "cloudwatchMetricPerMonth");
    return new Line(
        "EC2 detailed monitoring (1-minute metrics)",
        metrics,
        "metrics",
        perMetric,
        metrics * perMetric);
  }

  /** The table's assumed log volume, ingested into {@code groups} log groups. */
  static Line logsIngestion(int groups, String region, PriceTable prices) {
    double ingest = prices.price(region, "logsIngestionPerGb");
    return new Line(
        "CloudWatch Logs ingestion (assumed, " + groups + " groups)",
        prices.logsGb(),
        "GB",
        ingest,
        prices.logsGb() * ingest);
  }

  /** The table's assumed backups and releases in {@code buckets} buckets; {@code note} follows. */
  static Line s3Standard(int buckets, String note, String region, PriceTable prices) {
    double s3 = prices.price(region, "s3StandardPerGbMonth");
    double gb = prices.backupsGb() + prices.releasesGb();
    return new Line(
        "S3 Standard (assumed backups + releases, " + buckets + " buckets" + note + ")",
        gb,
        "GB-months",
        s3,
        gb * s3);
  }

  private static void gp3(
      List<Line> lines, String what, JsonNode ebs, int count, String region, PriceTable prices) {
    String type = ebs.path("VolumeType").asText("gp2");
    if (!type.equals("gp3")) {
      throw new IllegalArgumentException(what + " is " + type + ": only gp3 is priced");
    }
    double gb =
        ebs.path("VolumeSize").isMissingNode()
            ? ebs.path("Size").asDouble()
            : ebs.path("VolumeSize").asDouble();
    double perGb = prices.price(region, "gp3PerGbMonth");
    lines.add(
        new Line(
            "EBS gp3 " + what + ", " + (int) gb + " GiB",
            gb * count,
            "GB-months",
            perGb,
            gb * count * perGb));
    double extraIops = Math.max(0, ebs.path("Iops").asDouble(3000) - 3000) * count;
    if (extraIops > 0) {
      double p = prices.price(region, "gp3PerIopsMonthAbove3000");
      lines.add(
          new Line(
              "EBS gp3 " + what + ", IOPS above 3000", extraIops, "IOPS-months", p, extraIops * p));
    }
    double extraThroughput = Math.max(0, ebs.path("Throughput").asDouble(125) - 125) * count;
    if (extraThroughput > 0) {
      double p = prices.price(region, "gp3PerMibsMonthAbove125");
      lines.add(
          new Line(
              "EBS gp3 " + what + ", MiB/s above 125",
              extraThroughput,
              "MiB/s-months",
              p,
              extraThroughput * p));
    }
  }

  /**
   * How many distinct metrics (name + dimensions) the agent configuration publishes per instance:
   * each plugin's measurements times its resources (a {@code *} counts as the table's {@code
   * agentWildcardResources}), plus one copy per aggregation that keeps {@code path} for disk.
   */
  static int agentMetricCount(String agentConfigJson, PriceTable prices) {
    JsonNode config;
    try {
      config = new com.fasterxml.jackson.databind.ObjectMapper().readTree(agentConfigJson);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "the CloudWatch agent parameter is not JSON: " + e.getMessage(), e);
    }
    JsonNode metrics = config.path("metrics");
    int count = 0;
    int diskSeries = 0;
    for (var it = metrics.path("metrics_collected").fields(); it.hasNext(); ) {
      var plugin = it.next();
      int measurements = plugin.getValue().path("measurement").size();
      int resources = 1;
      JsonNode r = plugin.getValue().path("resources");
      if (r.isArray() && !r.isEmpty()) {
        resources = 0;
        for (JsonNode each : r) {
          resources += each.asText().equals("*") ? (int) prices.agentWildcardResources() : 1;
        }
      }
      count += measurements * resources;
      if (plugin.getKey().equals("disk")) {
        diskSeries = measurements * resources;
      }
    }
    for (JsonNode aggregation : metrics.path("aggregation_dimensions")) {
      if (aggregation.toString().contains("\"path\"")) {
        count += diskSeries;
      } else {
        throw new IllegalArgumentException(
            "cannot estimate aggregation " + aggregation + ": extend CostEstimate");
      }
    }
    return count;
  }
}
