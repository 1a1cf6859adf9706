package com.zmanim.infrastructure.support;

import com.zmanim.infrastructure.ZmanimApp;
import com.zmanim.infrastructure.config.AppContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * Synthesizes the app of each profile into {@code <dir>/<profile>} (the stacks the app defines,
 * with its feature flags), for a test that runs it in a JVM of its own.
 */
public final class SynthesizeProfiles {

  public static final List<String> PROFILES = List.of("single", "ha");

  private SynthesizeProfiles() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    for (String profile : PROFILES) {
      Map<String, Object> context = new LinkedHashMap<>(AppContext.FEATURE_FLAGS);
      context.put("profile", profile);
      App app =
          new App(
              AppProps.builder().context(context).outdir(dir.resolve(profile).toString()).build());
      ZmanimApp.define(app);
      app.synth();
    }
  }
}
