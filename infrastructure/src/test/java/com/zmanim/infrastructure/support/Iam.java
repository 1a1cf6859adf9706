package com.zmanim.infrastructure.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** Reads IAM policy statements out of a synthesized template. */
public final class Iam {

  /** The condition of a statement allowed in the stack's own region only. */
  public static final Map<String, Object> THIS_REGION_ONLY =
      Map.of("StringEquals", Map.of("aws:RequestedRegion", Map.of("Ref", "AWS::Region")));

  private Iam() {}

  /** Every statement of every inline policy of every role, and of every AWS::IAM::Policy. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> statements(Template template) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> role : Synth.resources(template, "AWS::IAM::Role").values()) {
      Map<String, Object> props = (Map<String, Object>) role.get("Properties");
      for (Object policy : (List<Object>) props.getOrDefault("Policies", List.of())) {
        out.addAll(
            (List<Map<String, Object>>)
                ((Map<String, Object>) ((Map<String, Object>) policy).get("PolicyDocument"))
                    .get("Statement"));
      }
    }
    for (Map<String, Object> policy : Synth.resources(template, "AWS::IAM::Policy").values()) {
      Map<String, Object> props = (Map<String, Object>) policy.get("Properties");
      out.addAll(
          (List<Map<String, Object>>)
              ((Map<String, Object>) props.get("PolicyDocument")).get("Statement"));
    }
    return out;
  }

  /**
   * The inline policies' statements of the roles a service principal (e.g. ec2.amazonaws.com)
   * assumes.
   */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> statementsOfRoleAssumedBy(
      Template template, String service) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> role : Synth.resources(template, "AWS::IAM::Role").values()) {
      Map<String, Object> props = (Map<String, Object>) role.get("Properties");
      if (!props.get("AssumeRolePolicyDocument").toString().contains("Service=" + service)) {
        continue;
      }
      for (Object policy : (List<Object>) props.getOrDefault("Policies", List.of())) {
        out.addAll(
            (List<Map<String, Object>>)
                ((Map<String, Object>) ((Map<String, Object>) policy).get("PolicyDocument"))
                    .get("Statement"));
      }
    }
    if (out.isEmpty()) {
      throw new AssertionError("no role assumed by " + service + " with inline statements");
    }
    return out;
  }

  /** The statement with this Sid; fails naming it when absent. */
  public static Map<String, Object> statement(Template template, String sid) {
    return statements(template).stream()
        .filter(s -> sid.equals(s.get("Sid")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no IAM statement with Sid " + sid));
  }

  /** A statement's actions as a list (IAM allows a single string). */
  @SuppressWarnings("unchecked")
  public static List<String> actions(Map<String, Object> statement) {
    Object a = statement.get("Action");
    return a instanceof List<?> l ? (List<String>) l : List.of((String) a);
  }

  /** Every action of every statement. */
  public static List<String> allActions(Template template) {
    return statements(template).stream().flatMap(s -> actions(s).stream()).toList();
  }

  /** A statement's resources as a list of JSON-ish values (strings or intrinsic maps). */
  @SuppressWarnings("unchecked")
  public static List<Object> resources(Map<String, Object> statement) {
    Object r = statement.get("Resource");
    return r instanceof List<?> l ? (List<Object>) l : List.of(r);
  }
}
