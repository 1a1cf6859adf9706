package com.zmanim.infrastructure.cost;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading the synthesized templates an estimate prices. */
final class Templates {

  private Templates() {}

  /**
   * The template of the stack whose name ends with {@code suffix}; none fails saying what to
   * synthesize ({@code hint}).
   */
  static JsonNode find(Map<String, JsonNode> templates, String suffix, String hint) {
    return templates.entrySet().stream()
        .filter(e -> e.getKey().endsWith(suffix))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no *" + suffix + " template among " + templates.keySet() + ": " + hint));
  }

  /** The resources of {@code type} in {@code template}, in template order. */
  static List<JsonNode> resources(JsonNode template, String type) {
    List<JsonNode> out = new ArrayList<>();
    template
        .path("Resources")
        .forEach(
            r -> {
              if (type.equals(r.path("Type").asText())) {
                out.add(r);
              }
            });
    return out;
  }
}
