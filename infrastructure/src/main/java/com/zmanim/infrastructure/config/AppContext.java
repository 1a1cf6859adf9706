package com.zmanim.infrastructure.config;

import java.util.Map;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * What the app and the tests both give the CDK besides the configuration: the feature flags (set in
 * code, not cdk.json, because tests built with {@code new App()} do not read cdk.json) and the
 * stacks' environment.
 */
public final class AppContext {

  /** Behaviour flags of aws-cdk-lib that this app relies on. */
  public static final Map<String, Object> FEATURE_FLAGS =
      Map.of(
          // Launch templates that require IMDSv2 get names unique per stack instead of a fixed one.
          "@aws-cdk/aws-ec2:uniqueImdsv2TemplateName", true);

  private AppContext() {}

  /** Environment-agnostic unless the configuration names an account and/or region. */
  public static StackProps stackProps(ZmanimConfig config) {
    if (config.account() == null && config.region() == null) {
      return StackProps.builder().build();
    }
    return StackProps.builder()
        .env(Environment.builder().account(config.account()).region(config.region()).build())
        .build();
  }
}
