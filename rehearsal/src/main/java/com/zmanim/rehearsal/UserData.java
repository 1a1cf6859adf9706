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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern SUB_VAR = Pattern.compile("\\$\\{(!?)([^}]*)}");

  private final Map<String, JsonNode> templates = new HashMap<>();
  private final Map<String, String> pseudo;
  private final Resources resources;

  /**
   * @param cdkOut the cdk.out folder (every {@code *.template.json} is read, for exports)
   * @param region the region the emulated resources live in
   * @param resources resolves resources
   */
  public UserData(Path cdkOut, String region, Resources resources) {
    this.resources = resources;
    this.pseudo =
        Map.of(
            "AWS::Region",
            region,
            "AWS::AccountId",
            "123456789012",
            "AWS::Partition",
            "aws",
            "AWS::URLSuffix",
            "amazonaws.com",
            "AWS::StackId",
            "arn:aws:cloudformation:"
                + region
                + ":123456789012:stack/rehearsal/00000000-0000-4000-8000-000000000000");
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
    JsonNode template = template(stack);
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
    sub.get(1).fields().forEachRemaining(e -> variables.put(e.getKey(), eval(stack, e.getValue())));
    return new Rendered(sub(stack, sub.get(0).asText(), variables), Map.copyOf(variables));
  }

  /**
   * Renders every intrinsic inside {@code node}, a part of {@code stack}'s template (e.g. a role's
   * policy document), leaving the rest of the JSON as it is.
   */
  public JsonNode renderTree(String stack, JsonNode node) {
    if (node.isObject() && node.size() == 1) {
      String key = node.fieldNames().next();
      if (key.equals("Ref") || key.startsWith("Fn::")) {
        return JSON.getNodeFactory().textNode(eval(stack, node));
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

  private JsonNode template(String stack) {
    JsonNode t = templates.get(stack);
    if (t == null) {
      throw new IllegalStateException(
          "no template for stack " + stack + " in cdk.out (run `make synth`)");
    }
    return t;
  }

  String eval(String stack, JsonNode n) {
    if (n.isTextual() || n.isNumber() || n.isBoolean()) {
      return n.asText();
    }
    if (n.isObject() && n.size() == 1) {
      String fn = n.fieldNames().next();
      JsonNode arg = n.get(fn);
      switch (fn) {
        case "Fn::Base64":
          return eval(stack, arg); // the instance receives the decoded script
        case "Ref":
          return ref(stack, arg.asText());
        case "Fn::GetAtt":
          {
            String id = arg.isArray() ? arg.get(0).asText() : arg.asText().split("\\.", 2)[0];
            String attr = arg.isArray() ? arg.get(1).asText() : arg.asText().split("\\.", 2)[1];
            return resources.getAtt(stack, id, resource(stack, id), attr);
          }
        case "Fn::ImportValue":
          return importValue(eval(stack, arg));
        case "Fn::Join":
          {
            List<String> parts = new ArrayList<>();
            arg.get(1).forEach(p -> parts.add(eval(stack, p)));
            return String.join(arg.get(0).asText(), parts);
          }
        case "Fn::Select":
          return eval(stack, arg.get(1).get(Integer.parseInt(eval(stack, arg.get(0)))));
        case "Fn::Sub":
          return sub(stack, arg);
        default:
          throw new IllegalStateException(
              "the rehearsal cannot render intrinsic " + fn + " in " + stack);
      }
    }
    throw new IllegalStateException("cannot render " + n + " in " + stack);
  }

  private String sub(String stack, JsonNode arg) {
    Map<String, String> vars = new HashMap<>();
    if (arg.isArray() && arg.size() > 1) {
      arg.get(1).fields().forEachRemaining(e -> vars.put(e.getKey(), eval(stack, e.getValue())));
    }
    return sub(stack, arg.isArray() ? arg.get(0).asText() : arg.asText(), vars);
  }

  /**
   * Fn::Sub's template {@code text} with {@code vars}, the pseudo parameters and the template's own
   * names.
   */
  private String sub(String stack, String text, Map<String, String> vars) {
    Matcher m = SUB_VAR.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value;
      if (!m.group(1).isEmpty()) {
        value = "${" + m.group(2) + "}"; // ${!Literal}
      } else if (vars.containsKey(m.group(2))) {
        value = vars.get(m.group(2));
      } else if (m.group(2).contains(".") && !m.group(2).startsWith("AWS::")) {
        String[] p = m.group(2).split("\\.", 2);
        value = resources.getAtt(stack, p[0], resource(stack, p[0]), p[1]);
      } else {
        value = ref(stack, m.group(2));
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private String ref(String stack, String name) {
    if (name.equals("AWS::StackName")) {
      return stack;
    }
    if (pseudo.containsKey(name)) {
      return pseudo.get(name);
    }
    JsonNode param = template(stack).path("Parameters").path(name);
    if (!param.isMissingNode()) {
      if (param.path("Type").asText().startsWith("AWS::SSM::Parameter::Value")) {
        throw new IllegalStateException(
            "user data refers to SSM-backed parameter "
                + name
                + " of "
                + stack
                + ": the rehearsal has no value for it");
      }
      if (!param.has("Default")) {
        throw new IllegalStateException("parameter " + name + " of " + stack + " has no default");
      }
      return param.get("Default").asText();
    }
    return resources.ref(stack, name, resource(stack, name));
  }

  private JsonNode resource(String stack, String logicalId) {
    JsonNode r = template(stack).path("Resources").path(logicalId);
    if (r.isMissingNode()) {
      throw new IllegalStateException(
          stack + " refers to " + logicalId + ", which it does not define");
    }
    return r;
  }

  private String importValue(String exportName) {
    for (var e : templates.entrySet()) {
      var outputs = e.getValue().path("Outputs").fields();
      while (outputs.hasNext()) {
        JsonNode out = outputs.next().getValue();
        JsonNode name = out.path("Export").path("Name");
        if (!name.isMissingNode() && eval(e.getKey(), name).equals(exportName)) {
          return eval(e.getKey(), out.get("Value"));
        }
      }
    }
    throw new IllegalStateException("no stack in cdk.out exports " + exportName);
  }
}
