package com.zmanim.infrastructure.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.infrastructure.config.ZmanimConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code make cost}: prints the monthly on-demand cost of the synthesized compute and storage
 * stacks of profile {@code single}, then, given a second cloud assembly, of profile {@code ha} at
 * its minimum capacity. Arguments: {@code infrastructure/cdk.out} [{@code
 * infrastructure/cdk.out-ha}]. The region is the one the stacks were synthesized for, else the
 * price table's default (said so).
 */
public final class CostReport {

  private CostReport() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println(
          "usage: CostReport <cdk.out directory> [<cdk.out directory of profile ha>]");
      System.exit(2);
    }
    PriceTable prices = PriceTable.load();
    Assembly single = read(Path.of(args[0]), "Compute", prices);
    System.out.print(
        CostEstimate.format(
            "Profile single (the default): monthly on-demand cost of the compute + "
                + "storage stacks",
            CostEstimate.of(single.templates(), single.region(), prices),
            single.region(),
            single.note(),
            prices));
    List<CostEstimate.Line> busy =
        CostEstimate.atStatedWriteRate(single.templates(), single.region(), prices);
    if (!busy.isEmpty()) {
      System.out.print(
          CostEstimate.formatSection(
              "The WAL archive at a stated write rate instead of idle (not in the "
                  + "total; assumptions in "
                  + PriceTable.RESOURCE
                  + "):",
              busy));
    }
    List<CostEstimate.Line> perRequest =
        CostEstimate.apiMetricsPerRequest(single.templates(), single.region(), prices);
    if (!perRequest.isEmpty()) {
      System.out.print(
          CostEstimate.formatSection(
              "The API's metrics written per request instead of per minute (not in the "
                  + "total, docs/adr/0019; the stated rate in "
                  + PriceTable.RESOURCE
                  + "):",
              perRequest));
    }
    if (args.length == 2) {
      Assembly ha = read(Path.of(args[1]), "HaCompute", prices);
      List<CostEstimate.Line> lines =
          HaCostEstimate.of(ha.templates(), ha.region(), ZmanimConfig.AVAILABILITY_ZONES, prices);
      System.out.println();
      System.out.print(
          CostEstimate.format(
              "Profile ha at its minimum capacity: monthly on-demand cost of the ha compute + ha data + "
                  + "storage stacks",
              lines,
              ha.region(),
              ha.note(),
              prices));
      System.out.println(
          "Assumptions (ha): " + prices.root().path("assumptions").path("haNote").asText());
      System.out.println("Prices (ha): " + prices.root().path("haPricesSource").asText());
    }
  }

  private record Assembly(Map<String, JsonNode> templates, String region, String note) {}

  private static Assembly read(Path out, String computeSuffix, PriceTable prices)
      throws IOException {
    Path manifest = out.resolve("manifest.json");
    if (!Files.isRegularFile(manifest)) {
      System.err.println("no " + manifest + ": run make synth first");
      System.exit(1);
    }
    ObjectMapper mapper = new ObjectMapper();
    JsonNode artifacts = mapper.readTree(manifest.toFile()).path("artifacts");
    Map<String, JsonNode> templates = new LinkedHashMap<>();
    String region = null;
    for (var it = artifacts.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!"aws:cloudformation:stack".equals(e.getValue().path("type").asText())) {
        continue;
      }
      String file = e.getValue().path("properties").path("templateFile").asText();
      templates.put(e.getKey(), mapper.readTree(out.resolve(file).toFile()));
      String env = e.getValue().path("environment").asText();
      String envRegion = env.substring(env.lastIndexOf('/') + 1);
      if (e.getKey().endsWith(computeSuffix) && !envRegion.equals("unknown-region")) {
        region = envRegion;
      }
    }
    String note = "";
    if (region == null) {
      region = prices.defaultRegion();
      note =
          " (the stacks are environment-agnostic: priced for the table's default region; "
              + "CDK_CONTEXT_JSON={\"region\":\"us-east-1\"} make cost prices another)";
    }
    return new Assembly(templates, region, note);
  }
}
