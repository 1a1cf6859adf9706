package com.zmanim.infrastructure.nag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * Skips a checkov check on one resource with its reason, written into the synthesized template as
 * the resource's {@code Metadata.checkov.skip} entry (what checkov reads for CloudFormation), so
 * that {@code make lint}'s checkov run passes with every exception explained where it is made.
 */
public final class CheckovSkip {

  private CheckovSkip() {}

  /**
   * @param scope a CloudFormation resource, or an L2 construct whose default child is one
   * @param id the check id, e.g. {@code CKV_AWS_18}
   * @param reason why the check does not apply here (at least 20 characters)
   */
  @SuppressWarnings("unchecked")
  public static void on(IConstruct scope, String id, String reason) {
    Objects.requireNonNull(id, "id");
    if (!id.matches("CKV2?_[A-Z]+_\\d+")) {
      throw new IllegalArgumentException(
          "id is invalid: " + id + ": expected a checkov id such as CKV_AWS_18");
    }
    if (reason == null || reason.length() < 20) {
      throw new IllegalArgumentException(
          "skipping " + id + " needs a written reason, not '" + reason + "'");
    }
    CfnResource resource =
        scope instanceof CfnResource r ? r : (CfnResource) scope.getNode().getDefaultChild();
    if (resource == null) {
      throw new IllegalArgumentException(
          scope.getNode().getPath() + " has no CloudFormation resource to skip " + id + " on");
    }
    Object existing = resource.getMetadata("checkov");
    List<Object> skips = new ArrayList<>();
    if (existing instanceof Map<?, ?> m && m.get("skip") instanceof List<?> l) {
      skips.addAll(l);
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("id", id);
    entry.put("comment", reason);
    skips.add(entry);
    resource.addMetadata("checkov", Map.of("skip", skips));
  }
}
