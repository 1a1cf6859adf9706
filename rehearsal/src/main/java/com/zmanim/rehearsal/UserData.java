package com.zmanim.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Takes the user data out of the synthesized {@code ZmanimProdCompute} template and renders its
 * intrinsics (Fn::Base64, Fn::Sub, Fn::Join, Fn::Select, Ref, Fn::GetAtt, Fn::ImportValue) the way
 * CloudFormation would, with the ids of the emulated resources: each resource the user data refers
 * to (here or, through an export, in another stack of cdk.out) is resolved by {@link Resources},
 * which creates it in moto on first use. Anything it cannot resolve fails naming it.
 */
public final class UserData {
  /** Values of the resources the user data refers to. */
  public interface Resources {
    /** {@code Ref} of resource {@code logicalId} (its definition given) in stack {@code stack}. */
    String ref(String stack, String logicalId, JsonNode resource);

    /** {@code Fn::GetAtt} of it. */
    String getAtt(String stack, String logicalId, JsonNode resource, String attribute);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Intrinsics intrinsics;

  /**
   * @param cdkOut the cdk.out folder (every {@code *.template.json} is read, for exports)
   * @param region the region the emulated resources live in
   * @param resources resolves resources
   */
  public UserData(Path cdkOut, String region, Resources resources) {
    Map<String, JsonNode> templates = new HashMap<>();
    try (Stream<Path> files = Files.list(cdkOut)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().endsWith(".template.json")).toList()) {
        String stack = f.getFileName().toString().replace(".template.json", "");
        templates.put(stack, JSON.readTree(f.toFile()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the synthesized templates in " + cdkOut + " (run `make synth`)", e);
    }
    this.intrinsics = new Intrinsics(templates, region, resources);
  }

  /**
   * Synthesizes the CDK app with {@code contextJson} (CDK context, as scripts/synth.sh passes it)
   * into {@code dir}, emptied first, with scripts/cdk-app.sh; returns {@code dir}.
   */
  public static Path synthesize(Layout layout, Path dir, String contextJson) {
    Sweeper.fresh(dir);
    Cmd.run(
            Duration.ofMinutes(10),
            List.of(layout.repo().resolve("scripts/cdk-app.sh").toString()),
            Map.of("CDK_OUTDIR", dir.toString(), "CDK_CONTEXT_JSON", contextJson),
            null)
        .check();
    return dir;
  }

  /**
   * The rendered user data of the one launch template (or instance) in {@code stack}, with the
   * values of its {@code Fn::Sub} variables (what the CDK app handed the user data, by name).
   */
  public Deployment render(String stack) {
    Rendered r = renderScript(stack);
    return new Deployment(stack, r.script(), r.variables());
  }

  /**
   * A stack's rendered user data and its variables, whatever contract it follows (profile ha's API
   * instances, contract §10); {@link #render} checks the single instance's on top.
   */
  public record Rendered(String script, Map<String, String> variables) {}

  /** The rendered user data of {@code stack} and its {@code Fn::Sub} variables, unchecked. */
  public Rendered renderScript(String stack) {
    JsonNode template = intrinsics.template(stack);
    List<JsonNode> found = new ArrayList<>();
    template
        .path("Resources")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode props = e.getValue().path("Properties");
              JsonNode ud = props.path("LaunchTemplateData").path("UserData");
              if (ud.isMissingNode()) {
                ud = props.path("UserData");
              }
              if (!ud.isMissingNode()) {
                found.add(ud);
              }
            });
    if (found.size() != 1) {
      throw new IllegalStateException(
          stack + " should hold exactly one user data, found " + found.size());
    }
    JsonNode ud = found.getFirst();
    JsonNode sub = ud.path("Fn::Base64").path("Fn::Sub");
    if (!sub.isArray() || sub.size() != 2) {
      throw new IllegalStateException(
          "the user data of " + stack + " is not Fn::Base64 of Fn::Sub [text, variables]");
    }
    Map<String, String> variables = new LinkedHashMap<>();
    sub.get(1)
        .fields()
        .forEachRemaining(e -> variables.put(e.getKey(), intrinsics.eval(stack, e.getValue())));
    return new Rendered(
        intrinsics.sub(stack, sub.get(0).asText(), variables), Map.copyOf(variables));
  }

  /**
   * Renders every intrinsic inside {@code node}, a part of {@code stack}'s template (e.g. a role's
   * policy document), leaving the rest of the JSON as it is.
   */
  public JsonNode renderTree(String stack, JsonNode node) {
    if (node.isObject() && node.size() == 1) {
      String key = node.fieldNames().next();
      if (key.equals("Ref") || key.startsWith("Fn::")) {
        return JSON.getNodeFactory().textNode(intrinsics.eval(stack, node));
      }
    }
    if (node.isObject()) {
      var copy = JSON.createObjectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), renderTree(stack, e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      var copy = JSON.createArrayNode();
      node.forEach(e -> copy.add(renderTree(stack, e)));
      return copy;
    }
    return node;
  }
}
