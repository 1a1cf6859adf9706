package com.zmanim.infrastructure.compute;

import com.zmanim.infrastructure.nag.CheckovSkip;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The app's log groups (contract §8), created here with a retention so that neither the agent nor
 * the instance role ever needs to create one.
 */
public final class AppLogGroups extends Construct {

  /** The services whose logs ship from a single instance, in contract order. */
  public static final List<String> SERVICES = List.of("api", "postgresql", "redis", "boot");

  /** The services whose logs ship from an API instance of profile ha (no local database). */
  public static final List<String> HA_SERVICES = List.of("api", "boot");

  /**
   * @param namesByService service → log group name, one group each (e.g. every entry of {@link
   *     #SERVICES})
   * @param retentionDays CloudWatch Logs retention
   */
  public record Props(Map<String, String> namesByService, int retentionDays) {
    public Props {
      Objects.requireNonNull(namesByService, "namesByService");
      if (retentionDays < 1) {
        throw new IllegalArgumentException("retentionDays is invalid: " + retentionDays);
      }
      if (namesByService.isEmpty()
          || !namesByService.keySet().stream().allMatch(s -> s.matches("[a-z]+"))) {
        throw new IllegalArgumentException(
            "namesByService is invalid: needs lower-case service names, has "
                + namesByService.keySet());
      }
    }
  }

  private final Map<String, LogGroup> groups = new LinkedHashMap<>();

  public AppLogGroups(Construct scope, String id, Props props) {
    super(scope, id);
    for (String service : props.namesByService().keySet()) {
      LogGroup group =
          LogGroup.Builder.create(this, capitalized(service))
              .logGroupName(props.namesByService().get(service))
              .retention(RetentionDays.THREE_MONTHS)
              .removalPolicy(RemovalPolicy.RETAIN)
              .build();
      // The configured value (validated by ZmanimConfig against CloudWatch Logs' list); jsii
      // enums carry no numeric value to look it up by.
      ((CfnLogGroup) group.getNode().getDefaultChild()).setRetentionInDays(props.retentionDays());
      CheckovSkip.on(
          group,
          "CKV_AWS_158",
          "Log groups use CloudWatch Logs' default encryption at rest; a customer-managed KMS key would add a "
              + "key policy to maintain and ~$1/month for logs that carry no secret (secrets never reach logs).");
      groups.put(service, group);
    }
  }

  /** service → log group, in the order of {@code namesByService}. */
  public Map<String, LogGroup> groups() {
    return groups;
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
