package com.zmanim.infrastructure.compute;

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

  /** The services whose logs ship, in contract order. */
  public static final List<String> SERVICES = List.of("api", "postgresql", "redis", "boot");

  /**
   * @param namesByService service → log group name, for every entry of {@link #SERVICES}
   * @param retentionDays CloudWatch Logs retention
   */
  public record Props(Map<String, String> namesByService, int retentionDays) {
    public Props {
      Objects.requireNonNull(namesByService, "namesByService");
      if (retentionDays < 1) {
        throw new IllegalArgumentException("retentionDays is invalid: " + retentionDays);
      }
      if (!namesByService.keySet().containsAll(SERVICES)) {
        throw new IllegalArgumentException(
            "namesByService is invalid: needs " + SERVICES + ", has " + namesByService.keySet());
      }
    }
  }

  private final Map<String, LogGroup> groups = new LinkedHashMap<>();

  public AppLogGroups(Construct scope, String id, Props props) {
    super(scope, id);
    for (String service : SERVICES) {
      LogGroup group =
          LogGroup.Builder.create(this, capitalized(service))
              .logGroupName(props.namesByService().get(service))
              .retention(RetentionDays.THREE_MONTHS)
              .removalPolicy(RemovalPolicy.RETAIN)
              .build();
      // The configured value (validated by ZmanimConfig against CloudWatch Logs' list); jsii
      // enums carry no numeric value to look it up by.
      ((CfnLogGroup) group.getNode().getDefaultChild()).setRetentionInDays(props.retentionDays());
      groups.put(service, group);
    }
  }

  /** service → log group, in {@link #SERVICES} order. */
  public Map<String, LogGroup> groups() {
    return groups;
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
