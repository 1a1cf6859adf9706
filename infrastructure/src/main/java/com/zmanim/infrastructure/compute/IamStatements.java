package com.zmanim.infrastructure.compute;

import com.zmanim.infrastructure.Ordered;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * Policy statements built one way for every role the app defines: the Allow builder, and what both
 * instance roles (single and ha) grant the SSM agent.
 */
public final class IamStatements {
  private IamStatements() {}

  /** An Allow statement; {@code conditions} may be null. */
  public static PolicyStatement allow(
      String sid, List<String> actions, List<String> resources, Map<String, Object> conditions) {
    PolicyStatement.Builder b =
        PolicyStatement.Builder.create()
            .sid(sid)
            .effect(Effect.ALLOW)
            .actions(actions)
            .resources(resources);
    if (conditions != null) {
      b.conditions(conditions);
    }
    return b.build();
  }

  /**
   * What the SSM agent needs instead of AmazonSSMManagedInstanceCore: it registers the instance
   * (UpdateInstanceInformation, on {@code instances}) and opens its message channels. ssmmessages
   * and ec2messages define no resource types: region-scoped instead.
   */
  public static List<PolicyStatement> ssmAgent(String instances) {
    return List.of(
        allow(
            "SsmAgentRegisterInstance",
            List.of("ssm:UpdateInstanceInformation"),
            List.of(instances),
            null),
        allow(
            "SsmAgentMessageChannels",
            List.of(
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
                "ec2messages:AcknowledgeMessage",
                "ec2messages:DeleteMessage",
                "ec2messages:FailMessage",
                "ec2messages:GetEndpoint",
                "ec2messages:GetMessages",
                "ec2messages:SendReply"),
            List.of("*"),
            Map.of("StringEquals", Map.of("aws:RequestedRegion", Aws.REGION))));
  }

  /**
   * The ARN of SSM parameter {@code path} (starting with "/") in this stack's region and account.
   */
  public static String parameterArn(String path) {
    return "arn:"
        + Aws.PARTITION
        + ":ssm:"
        + Aws.REGION
        + ":"
        + Aws.ACCOUNT_ID
        + ":parameter"
        + path;
  }

  /**
   * Checks a role's CloudWatch agent inputs: its configuration parameter's name (no leading slash)
   * and at least one log group.
   */
  public static void requireAgentInputs(String agentConfigParameter, List<String> logGroupArns) {
    if (agentConfigParameter == null || agentConfigParameter.startsWith("/")) {
      throw new IllegalArgumentException(
          "agentConfigParameter is invalid: "
              + agentConfigParameter
              + ": expected a parameter name without a leading slash");
    }
    if (logGroupArns == null || logGroupArns.isEmpty()) {
      throw new IllegalArgumentException(
          "logGroupArns is invalid: at least one log group is needed");
    }
  }

  /** The CloudWatch agent's configuration: this one parameter (fetch-config at boot). */
  public static PolicyStatement readAgentConfig(String parameterName) {
    return allow(
        "ReadAgentConfig",
        List.of("ssm:GetParameter"),
        List.of(parameterArn("/" + parameterName)),
        null);
  }

  /** The agent ships the app's log files into these groups (created by the stack, never by it). */
  public static PolicyStatement writeAppLogs(List<String> logGroupArns) {
    return allow(
        "WriteAppLogs",
        List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
        logGroupArns,
        null);
  }

  /**
   * Mail through the SES identity, from our address and only to the configured recipient: a
   * compromised instance cannot mail anyone else in our name. ForAllValues: every recipient (To,
   * Cc, Bcc) must be that one.
   */
  public static PolicyStatement sendNotifications(String identity, String from, String to) {
    return allow(
        "SendNotificationsFromIdentity",
        List.of("ses:SendEmail"),
        List.of(
            "arn:"
                + Aws.PARTITION
                + ":ses:"
                + Aws.REGION
                + ":"
                + Aws.ACCOUNT_ID
                + ":identity/"
                + identity),
        Ordered.map(
            "StringEquals",
            Map.of("ses:FromAddress", from),
            "ForAllValues:StringEquals",
            Map.of("ses:Recipients", List.of(to))));
  }

  /**
   * PutMetricData has no resource-level permissions: limited to the app's and the agent's
   * namespaces instead.
   */
  public static PolicyStatement putAppMetrics(String appNamespace, String agentNamespace) {
    return allow(
        "PutAppMetrics",
        List.of("cloudwatch:PutMetricData"),
        List.of("*"),
        Map.of(
            "StringEquals", Map.of("cloudwatch:namespace", List.of(appNamespace, agentNamespace))));
  }
}
