package com.zmanim.infrastructure.compute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.infrastructure.config.ResourceText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.services.ssm.ParameterTier;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * The CloudWatch agent's configuration (resource file {@link #RESOURCE} for the single instance,
 * {@link #HA_RESOURCE} for profile ha's API instances: no volume, no local database), delivered as
 * an SSM String parameter named after the agent's convention {@code AmazonCloudWatch-*}, which the
 * instance role's {@code ReadAgentConfig} statement allows reading. The boot logic runs {@code
 * amazon-cloudwatch-agent-ctl -a fetch-config -c ssm:<name> -s}.
 */
public final class AgentConfigParameter extends Construct {

  public static final String RESOURCE = "compute/cloudwatch-agent.json";

  public static final String HA_RESOURCE = "ha/cloudwatch-agent.json";

  /** Standard-tier SSM parameters hold at most 4 KB. */
  public static final int STANDARD_TIER_LIMIT = 4_096;

  private static final Pattern PLACEHOLDER = Pattern.compile("@LOG_GROUP_([A-Z]+)@");

  /**
   * @param parameterName must start with {@code AmazonCloudWatch-}
   * @param resource the agent configuration's resource file ({@link #RESOURCE}, {@link
   *     #HA_RESOURCE})
   * @param logGroupNames service → log group name, for every {@code @LOG_GROUP_<SERVICE>@}
   */
  public record Props(String parameterName, String resource, Map<String, String> logGroupNames) {
    public Props {
      Objects.requireNonNull(parameterName, "parameterName");
      Objects.requireNonNull(resource, "resource");
      Objects.requireNonNull(logGroupNames, "logGroupNames");
      if (!parameterName.startsWith("AmazonCloudWatch-")) {
        throw new IllegalArgumentException(
            "parameterName is invalid: "
                + parameterName
                + ": the CloudWatch agent's convention is a name starting with AmazonCloudWatch-");
      }
    }
  }

  private final StringParameter parameter;
  private final String json;

  public AgentConfigParameter(Construct scope, String id, Props props) {
    super(scope, id);
    json = render(props.resource(), props.logGroupNames());
    parameter =
        StringParameter.Builder.create(this, "Parameter")
            .parameterName(props.parameterName())
            .description(
                "CloudWatch agent configuration of the zmanim instance (resource "
                    + props.resource()
                    + ")")
            .stringValue(json)
            .tier(ParameterTier.STANDARD)
            .build();
  }

  /**
   * The agent configuration with the log group names filled in, minified to fit the standard tier.
   * Fails naming the placeholder when a service has no log group, or when it is too large.
   */
  public static String render(String resource, Map<String, String> logGroupNames) {
    String template = ResourceText.read(resource);
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String service = m.group(1).toLowerCase(Locale.ROOT);
      String name = logGroupNames.get(service);
      if (name == null) {
        throw new IllegalArgumentException(
            resource + " names " + m.group() + " but no log group exists for " + service);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(name));
    }
    m.appendTail(out);
    try {
      ObjectMapper mapper = new ObjectMapper();
      String minified = mapper.writeValueAsString(mapper.readTree(out.toString()));
      if (minified.length() > STANDARD_TIER_LIMIT) {
        throw new IllegalStateException(
            resource
                + " is "
                + minified.length()
                + " bytes minified: over the "
                + STANDARD_TIER_LIMIT
                + "-byte standard SSM parameter limit");
      }
      return minified;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          resource + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The log groups and the agent configuration that ships to them. */
  public record Shipping(AppLogGroups logs, AgentConfigParameter agentConfig) {}

  /**
   * Creates, in {@code scope}, the log groups of {@code services} (as {@code Logs}, each named by
   * {@code logGroupName}) and the agent configuration {@code resource} shipping to them (as {@code
   * AgentConfig}, parameter {@code parameterName}).
   */
  public static Shipping ship(
      Construct scope,
      List<String> services,
      Function<String, String> logGroupName,
      int retentionDays,
      String parameterName,
      String resource) {
    Map<String, String> names = new LinkedHashMap<>();
    services.forEach(service -> names.put(service, logGroupName.apply(service)));
    AppLogGroups logs =
        new AppLogGroups(scope, "Logs", new AppLogGroups.Props(names, retentionDays));
    return new Shipping(
        logs,
        new AgentConfigParameter(scope, "AgentConfig", new Props(parameterName, resource, names)));
  }

  public String parameterName() {
    return parameter.getParameterName();
  }

  public String json() {
    return json;
  }
}
