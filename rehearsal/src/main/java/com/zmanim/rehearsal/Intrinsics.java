package com.zmanim.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudFormation's intrinsic functions (Fn::Base64, Fn::Sub, Fn::Join, Fn::Select, Ref, Fn::GetAtt,
 * Fn::ImportValue) and pseudo parameters, evaluated over the synthesized templates of one cdk.out
 * the way CloudFormation would, with the values {@link UserData.Resources} gives the resources
 * referred to. Anything it cannot evaluate fails naming it.
 */
final class Intrinsics {
  private static final Pattern SUB_VAR = Pattern.compile("\\$\\{(!?)([^}]*)}");

  private final Map<String, JsonNode> templates;
  private final Map<String, String> pseudo;
  private final UserData.Resources resources;

  /**
   * @param templates stack name → template, every stack of the cdk.out (for exports)
   * @param region the region the emulated resources live in
   */
  Intrinsics(Map<String, JsonNode> templates, String region, UserData.Resources resources) {
    this.templates = Map.copyOf(templates);
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
  }

  JsonNode template(String stack) {
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
  String sub(String stack, String text, Map<String, String> vars) {
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
