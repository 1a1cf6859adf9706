package com.zmanim.infrastructure.cost;

import static com.zmanim.infrastructure.cost.Templates.find;
import static com.zmanim.infrastructure.cost.Templates.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.zmanim.infrastructure.cost.CostEstimate.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The monthly on-demand cost of profile {@code ha} at its minimum capacity, from the synthesized
 * {@code HaCompute}, {@code HaData} and shared {@code Storage} templates and the {@link
 * PriceTable}: the Auto Scaling group's MinSize instances (with root volumes, detailed monitoring
 * and a public IPv4 each), the load balancer (hours, assumed LCUs, one public IPv4 per AZ), every
 * Aurora Serverless v2 instance at the cluster's MinCapacity plus assumed storage and I/O, the
 * ElastiCache nodes, the RDS-managed secret, alarms and S3 (as the single profile).
 */
public final class HaCostEstimate {

  private static final String SYNTH_HINT = "synthesize the ha profile first";

  private HaCostEstimate() {}

  /**
   * @param templates stack name → template; must contain the HaCompute, HaData and Storage stacks
   * @param region the region to price
   * @param azs how many AZs the load balancer spans (one public IPv4 each)
   */
  public static List<Line> of(
      Map<String, JsonNode> templates, String region, int azs, PriceTable prices) {
    JsonNode compute = find(templates, "HaCompute", SYNTH_HINT);
    JsonNode data = find(templates, "HaData", SYNTH_HINT);
    JsonNode storage = find(templates, "Storage", SYNTH_HINT);
    double hours = prices.hoursPerMonth();
    JsonNode assumptions = prices.root().path("assumptions");
    List<Line> lines = new ArrayList<>();

    int instances = 0;
    for (JsonNode group : resources(compute, "AWS::AutoScaling::AutoScalingGroup")) {
      instances += Integer.parseInt(group.path("Properties").path("MinSize").asText("0"));
    }
    int publicIps = 0;
    for (JsonNode lt : resources(compute, "AWS::EC2::LaunchTemplate")) {
      JsonNode d = lt.path("Properties").path("LaunchTemplateData");
      lines.add(
          CostEstimate.instanceHours(
              d.path("InstanceType").asText(), instances, ", the group's minimum", region, prices));
      for (JsonNode mapping : d.path("BlockDeviceMappings")) {
        double gb = mapping.path("Ebs").path("VolumeSize").asDouble();
        double perGb = prices.price(region, "gp3PerGbMonth");
        lines.add(
            new Line(
                "EBS gp3 root volume, " + (int) gb + " GiB (x" + instances + ")",
                gb * instances,
                "GB-months",
                perGb,
                gb * instances * perGb));
      }
      if (d.path("Monitoring").path("Enabled").asBoolean(false)) {
        lines.add(CostEstimate.detailedMonitoring(instances, region, prices));
      }
      if (d.path("NetworkInterfaces").path(0).path("AssociatePublicIpAddress").asBoolean(false)) {
        publicIps += instances;
      }
    }
    int albs = resources(compute, "AWS::ElasticLoadBalancingV2::LoadBalancer").size();
    if (albs > 0) {
      double albHour = prices.price(region, "albPerHour");
      lines.add(
          new Line(
              "Application Load Balancer",
              albs * hours,
              "ALB-hours",
              albHour,
              albs * hours * albHour));
      double lcu = assumptions.path("haAlbLcu").asDouble() * albs;
      double lcuHour = prices.price(region, "albPerLcuHour");
      lines.add(
          new Line(
              "ALB capacity units (assumed average)",
              lcu * hours,
              "LCU-hours",
              lcuHour,
              lcu * hours * lcuHour));
      publicIps += albs * azs;
    }
    double ipv4 = prices.price(region, "publicIpv4PerHour");
    lines.add(
        new Line(
            "Public IPv4 (" + publicIps + ": API instances' egress, load balancer per AZ)",
            publicIps * hours,
            "IP-hours",
            ipv4,
            publicIps * hours * ipv4));

    double minAcu = 0;
    for (JsonNode cluster : resources(data, "AWS::RDS::DBCluster")) {
      minAcu =
          cluster
              .path("Properties")
              .path("ServerlessV2ScalingConfiguration")
              .path("MinCapacity")
              .asDouble();
    }
    int serverless = 0;
    for (JsonNode instance : resources(data, "AWS::RDS::DBInstance")) {
      if (!"db.serverless".equals(instance.path("Properties").path("DBInstanceClass").asText())) {
        throw new IllegalArgumentException(
            "only Aurora Serverless v2 instances are priced, found "
                + instance.path("Properties").path("DBInstanceClass").asText()
                + ": extend HaCostEstimate");
      }
      serverless++;
    }
    if (serverless > 0) {
      double acuHour = prices.price(region, "auroraServerlessV2PerAcuHour");
      double acuHours = serverless * minAcu * hours;
      lines.add(
          new Line(
              "Aurora Serverless v2 ("
                  + serverless
                  + " instances at the minimum "
                  + minAcu
                  + " ACU)",
              acuHours,
              "ACU-hours",
              acuHour,
              acuHours * acuHour));
      double gb = assumptions.path("haAuroraStorageGb").asDouble();
      double perGb = prices.price(region, "auroraStoragePerGbMonth");
      lines.add(new Line("Aurora storage (assumed)", gb, "GB-months", perGb, gb * perGb));
      double io = assumptions.path("haAuroraIoMillionsPerMonth").asDouble();
      double perIo = prices.price(region, "auroraIoPerMillion");
      lines.add(new Line("Aurora I/O requests (assumed)", io, "million", perIo, io * perIo));
      double secret = prices.price(region, "secretsManagerPerSecretMonth");
      lines.add(
          new Line(
              "Secrets Manager (RDS-managed administrator secret)", 1, "secrets", secret, secret));
    }
    for (JsonNode group : resources(data, "AWS::ElastiCache::ReplicationGroup")) {
      JsonNode p = group.path("Properties");
      String key = p.path("CacheNodeType").asText() + "/" + p.path("Engine").asText();
      JsonNode price =
          prices.root().path("regions").path(region).path("elasticachePerHour").path(key);
      if (!price.isNumber()) {
        throw new IllegalArgumentException(
            PriceTable.RESOURCE + " has no elasticachePerHour." + key + " for " + region);
      }
      int nodes = p.path("NumCacheClusters").asInt(1);
      lines.add(
          new Line(
              "ElastiCache " + key + " (x" + nodes + ", Multi-AZ)",
              nodes * hours,
              "node-hours",
              price.asDouble(),
              nodes * hours * price.asDouble()));
    }

    int alarms =
        resources(compute, "AWS::CloudWatch::Alarm").size()
            + resources(data, "AWS::CloudWatch::Alarm").size();
    double alarm = prices.price(region, "cloudwatchAlarmPerMonth");
    lines.add(new Line("CloudWatch alarms (standard)", alarms, "alarms", alarm, alarms * alarm));
    int logGroups =
        resources(data, "AWS::Logs::LogGroup").size()
            + resources(compute, "AWS::Logs::LogGroup").size();
    if (logGroups > 0) {
      lines.add(CostEstimate.logsIngestion(logGroups, region, prices));
    }
    int buckets = resources(storage, "AWS::S3::Bucket").size();
    if (buckets > 0) {
      lines.add(CostEstimate.s3Standard(buckets, ", shared", region, prices));
    }
    return lines;
  }
}
