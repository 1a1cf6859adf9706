package com.zmanim.infrastructure.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.infrastructure.config.ResourceText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The dated on-demand price table (resource {@code cost/aws-prices.json}): per region, USD.
 *
 * @param recorded when the figures were taken
 * @param source where they come from
 * @param hoursPerMonth AWS's billing month (730 h)
 * @param defaultRegion region used when the stacks are environment-agnostic
 * @param backupsGb assumed size of the backups bucket (with noncurrent versions)
 * @param releasesGb assumed size of the releases bucket
 * @param logsGb assumed log ingestion per month
 * @param agentWildcardResources how many devices a {@code *} in the agent configuration matches
 * @param root the whole table, for per-region look-ups
 */
public record PriceTable(
    String recorded,
    String source,
    double hoursPerMonth,
    String defaultRegion,
    double backupsGb,
    double releasesGb,
    double logsGb,
    double agentWildcardResources,
    JsonNode root) {

  public static final String RESOURCE = "cost/aws-prices.json";

  public static PriceTable load() {
    try {
      JsonNode n = new ObjectMapper().readTree(ResourceText.read(RESOURCE));
      JsonNode a = n.path("assumptions");
      return new PriceTable(
          n.path("recorded").asText(),
          n.path("source").asText(),
          n.path("hoursPerMonth").asDouble(),
          n.path("defaultRegion").asText(),
          a.path("backupsGb").asDouble(),
          a.path("releasesGb").asDouble(),
          a.path("logsIngestedGbPerMonth").asDouble(),
          a.path("agentWildcardResources").asDouble(2),
          n);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + RESOURCE, e);
    }
  }

  /** An assumption of the table ({@code assumptions.<key>}); fails naming the key when absent. */
  public double assumption(String key) {
    JsonNode v = root.path("assumptions").path(key);
    if (!v.isNumber()) {
      throw new IllegalArgumentException(RESOURCE + " has no assumptions." + key);
    }
    return v.asDouble();
  }

  /** The regions the table has prices for. */
  public List<String> regions() {
    List<String> out = new ArrayList<>();
    root.path("regions").fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** A region's price of a key such as {@code gp3PerGbMonth}; fails naming region and key. */
  public double price(String region, String key) {
    JsonNode r = regionNode(region);
    JsonNode v = r.path(key);
    if (!v.isNumber()) {
      throw new IllegalArgumentException(RESOURCE + " has no " + key + " for " + region);
    }
    return v.asDouble();
  }

  /** The hourly on-demand price of an instance type in a region; fails naming what is missing. */
  public double instancePerHour(String region, String instanceType) {
    JsonNode v = regionNode(region).path("ec2PerHour").path(instanceType);
    if (!v.isNumber()) {
      throw new IllegalArgumentException(
          RESOURCE
              + " has no price for "
              + instanceType
              + " in "
              + region
              + ": add it (recorded "
              + recorded
              + ")");
    }
    return v.asDouble();
  }

  private JsonNode regionNode(String region) {
    JsonNode r = root.path("regions").path(region);
    if (r.isMissingNode()) {
      throw new IllegalArgumentException(
          RESOURCE + " has no prices for region " + region + " (it has " + regions() + ")");
    }
    return r;
  }
}
