package com.zmanim.infrastructure.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code make cost}: prints the monthly on-demand cost of the synthesized compute and storage
 * stacks. Argument: the cloud assembly directory ({@code infrastructure/cdk.out}). The region is
 * the one the stacks were synthesized for, else the price table's default (said so in the output).
 */
public final class CostReport {

  private CostReport() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: CostReport <cdk.out directory>");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
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
      if (e.getKey().endsWith("Compute") && !envRegion.equals("unknown-region")) {
        region = envRegion;
      }
    }
    PriceTable prices = PriceTable.load();
    String note = "";
    if (region == null) {
      region = prices.defaultRegion();
      note = " (the stacks are environment-agnostic: priced for the table's default region; "
          + "CDK_CONTEXT_JSON={\"region\":\"us-east-1\"} make cost prices another)";
    }
    System.out.print(CostEstimate.format(CostEstimate.of(templates, region, prices), region, note, prices));
    List<CostEstimate.Line> busy = CostEstimate.atStatedWriteRate(templates, region, prices);
    if (!busy.isEmpty()) {
      System.out.print(CostEstimate.formatSection("The WAL archive at a stated write rate instead of idle (not in the "
          + "total; assumptions in " + PriceTable.RESOURCE + "):", busy));
    }
  }
}
