package com.zmanim.infrastructure.nag;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * Acknowledges a cdk-nag finding on a construct and everything under it, with the reason. cdk-nag
 * 3.x reads node metadata {@link Validations#ACKNOWLEDGED_RULES_METADATA_KEY}; unlike {@code
 * Validations.acknowledge}, it also accepts granular ids such as {@code
 * AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/...]}.
 */
public final class Acknowledge {

  private Acknowledge() {}

  /**
   * @param scope the construct the finding is on (its children are covered too)
   * @param rules rule id → the written reason it is acceptable here; reasons must say why
   */
  public static void rules(IConstruct scope, Map<String, String> rules) {
    Map<String, String> checked = new LinkedHashMap<>();
    rules.forEach(
        (id, reason) -> {
          Objects.requireNonNull(id, "rule id");
          if (reason == null || reason.length() < 20) {
            throw new IllegalArgumentException(
                "acknowledging " + id + " needs a written reason, not '" + reason + "'");
          }
          checked.put(id, reason);
        });
    scope.getNode().addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, checked);
  }

  public static void rule(IConstruct scope, String id, String reason) {
    rules(scope, Map.of(id, reason));
  }
}
