package com.zmanim.infrastructure.support;

import com.zmanim.infrastructure.config.AppContext;
import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.naming.Naming;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/** Builds one stack the way the app does (same feature flags, same naming), for a test class. */
public final class Synth {

  /** Creates a stack: (app, id, props, config, naming) → stack. */
  @FunctionalInterface
  public interface StackFactory<S extends Stack> {
    S create(App app, String id, StackProps props, ZmanimConfig config, Naming naming);
  }

  private Synth() {}

  public static <S extends Stack> S stack(
      String part, ZmanimConfig config, StackFactory<S> factory) {
    App app = new App(AppProps.builder().context(AppContext.FEATURE_FLAGS).build());
    Naming naming = new Naming(config);
    return factory.create(
        app, naming.stackName(part), AppContext.stackProps(config), config, naming);
  }

  public static Template template(Stack stack) {
    return Template.fromStack(stack);
  }

  /** cdk-nag AwsSolutions findings on the stack that are not acknowledged, as readable lines. */
  public static List<String> unacknowledgedNagFindings(Stack stack) {
    List<String> lines = new ArrayList<>();
    for (PolicyViolation v : new AwsSolutionsChecks().validateScope(stack).getViolations()) {
      lines.add(
          v.getRuleName()
              + ": "
              + v.getDescription()
              + " at "
              + v.getViolatingResources().stream().map(r -> r.getResourceLogicalId()).toList());
    }
    return lines;
  }

  /** Resources of a type, logical id → resource JSON (as maps). */
  public static Map<String, Map<String, Object>> resources(Template template, String type) {
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> found =
        (Map<String, Map<String, Object>>) (Map<?, ?>) template.findResources(type);
    return found;
  }
}
