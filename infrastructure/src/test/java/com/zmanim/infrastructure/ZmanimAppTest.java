package com.zmanim.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.infrastructure.config.AppContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * The app with {@code environmentName=staging} and nothing else: every stack, export, resource
 * name, parameter path and the names file the scripts read follow it; nothing of prod is left.
 */
class ZmanimAppTest {

  private static final List<String> PROD =
      List.of("ZmanimProd", "/zmanim/prod", "zmanim-prod", "prod-ami");
  private static Map<String, Object> names;
  private static String everything;

  @BeforeAll
  static void synthesizeStaging() throws Exception {
    Map<String, Object> context = new HashMap<>(AppContext.FEATURE_FLAGS);
    context.put("environmentName", "staging");
    Path out = Files.createTempDirectory("cdk.out-staging");
    App app = new App(AppProps.builder().context(context).outdir(out.toString()).build());
    names = ZmanimApp.define(app);
    app.synth();
    StringBuilder all = new StringBuilder(new ObjectMapper().writeValueAsString(names));
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".template.json")).toList()) {
        all.append(Files.readString(f));
      }
    }
    everything = all.toString();
  }

  @Test
  void everyStackIsNamedForTheEnvironment() {
    assertThat(names.get("stacks"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("Compute", "ZmanimStagingCompute")
        .containsEntry("Storage", "ZmanimStagingStorage")
        .containsEntry("Network", "ZmanimStagingNetwork")
        .containsEntry("ImagePipeline", "ZmanimStagingImagePipeline");
  }

  @Test
  void theParameterPathsFollowTheEnvironment() {
    assertThat(names)
        .containsEntry("ssmPrefix", "/zmanim/staging")
        .containsEntry("amiIdParameter", "/zmanim/staging/ami-id")
        .containsEntry("amiCandidateIdParameter", "/zmanim/staging/ami-candidate-id")
        .containsEntry("amiBuildEnvironment", "staging-ami")
        .containsEntry("amiBuildTags", Map.of("Purpose", "zmanim-staging-ami-build"));
  }

  @Test
  void noNameOfProdIsLeftInAnyTemplateOrTheNamesFile() {
    for (String prod : PROD) {
      assertThat(everything).as("templates and names of environment staging").doesNotContain(prod);
    }
    assertThat(everything)
        .contains("ZmanimStaging-")
        .contains("/zmanim/staging/")
        .contains("zmanim-staging-");
  }
}
