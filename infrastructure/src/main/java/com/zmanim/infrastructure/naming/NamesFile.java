package com.zmanim.infrastructure.naming;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.zmanim.infrastructure.config.ZmanimConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names the configuration gives everything outside the templates, written beside them at synth
 * ({@code cdk.out/zmanim-names.json}): the scripts (synth, lint, ops) read stack names, the
 * parameter prefix and parameter names from it instead of copying the defaults, so that a {@code
 * cdk.json} or {@code -c} override (e.g. {@code environmentName=staging}) reaches them too.
 */
public final class NamesFile {

  /** The file's name inside the synth output directory. */
  public static final String FILE = "zmanim-names.json";

  private NamesFile() {}

  /**
   * The names of this configuration. {@code stacks} maps each stack's part ({@code Storage}, {@code
   * Compute}, {@code HaData}, ...) to the name the app gave it; {@code config} holds every
   * configuration value, so that checks compare the templates with what the configuration says.
   */
  public static Map<String, Object> names(
      ZmanimConfig config, Naming naming, Map<String, String> stacks) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("environment", config.environmentName());
    n.put("profile", config.profile());
    n.put("ssmPrefix", config.ssmPrefix());
    n.put("stackNames", List.copyOf(stacks.values()));
    n.put("stacks", stacks);
    n.put("computeStack", stacks.getOrDefault("Compute", stacks.get("HaCompute")));
    n.put("exportPrefix", naming.exportName(""));
    n.put("secrets", Naming.SECRETS);
    n.put("amiIdParameter", config.amiIdParameter());
    n.put("amiVersionParameter", config.amiVersionParameter());
    n.put("amiCandidateIdParameter", config.amiCandidateIdParameter());
    n.put("amiCandidateVersionParameter", config.amiCandidateVersionParameter());
    n.put("amiBuildTags", naming.amiBuildTags());
    n.put("amiBuildEnvironment", naming.amiBuildEnvironment());
    n.put("config", values(config));
    return n;
  }

  private static Map<String, Object> values(ZmanimConfig config) {
    Map<String, Object> v = new LinkedHashMap<>();
    for (RecordComponent c : ZmanimConfig.class.getRecordComponents()) {
      try {
        v.put(c.getName(), c.getAccessor().invoke(config));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read ZmanimConfig." + c.getName(), e);
      }
    }
    return v;
  }

  /** Writes {@link #FILE} into {@code outdir}. */
  public static void write(Path outdir, Map<String, Object> names) {
    try {
      Files.writeString(
          outdir.resolve(FILE),
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(names)
              + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + outdir.resolve(FILE), e);
    }
  }
}
