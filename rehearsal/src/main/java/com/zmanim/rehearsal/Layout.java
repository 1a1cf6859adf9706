package com.zmanim.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where things are: the repository, the tools setup installed, the image cache (outside the work
 * tree, shared by runs on one machine), the per-run scratch space and the results folder.
 */
public record Layout(Path repo, Path tools, Path cache, Path scratch, Path out) {

  public Layout {
    if (!Files.isDirectory(repo.resolve("infrastructure"))
        && !Files.isRegularFile(repo.resolve("pom.xml"))) {
      throw new IllegalArgumentException("not the repository root: " + repo);
    }
  }

  /** From system properties / environment, with the documented defaults. */
  public static Layout fromEnvironment() {
    String root =
        System.getProperty("rehearsal.root", System.getenv().getOrDefault("ZMANIM_ROOT", "."));
    Path repo = Path.of(root).toAbsolutePath().normalize();
    Path cache =
        Path.of(
            System.getenv().getOrDefault("ZMANIM_REHEARSAL_CACHE", "/var/cache/zmanim-rehearsal"));
    Path scratch =
        Path.of(
            System.getenv().getOrDefault("ZMANIM_REHEARSAL_SCRATCH", "/var/tmp/zmanim-rehearsal"));
    return new Layout(repo, repo.resolve(".tools"), cache, scratch, repo.resolve("rehearsal/out"));
  }

  public Path tool(String name) {
    Path p = tools.resolve("bin").resolve(name);
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException(
          name + " is missing from " + p.getParent() + ": run `make setup`");
    }
    return p;
  }

  /**
   * The wrapper every container starts through: a cgroup of its own, so that containers running at
   * the same time never share one (rehearsal/image/in-own-cgroup.sh says why).
   */
  public Path ownCgroupScript() {
    return repo.resolve("rehearsal/image/in-own-cgroup.sh");
  }

  public Path packerDir() {
    String override = System.getenv("ZMANIM_REHEARSAL_PACKER_DIR");
    return override == null || override.isBlank()
        ? repo.resolve("infrastructure/packer")
        : Path.of(override);
  }

  /** The names the CDK app wrote at synth (stack names, the parameter prefix, ...: NamesFile). */
  public Path namesFile() {
    return repo.resolve("infrastructure/cdk.out/zmanim-names.json");
  }

  /** The compute stack's name, from {@link #namesFile()}. */
  public String computeStack() {
    try {
      JsonNode stack = new ObjectMapper().readTree(namesFile().toFile()).path("computeStack");
      if (!stack.isTextual()) {
        throw new IllegalStateException(namesFile() + " names no computeStack");
      }
      return stack.asText();
    } catch (IOException e) {
      throw new UncheckedIOException(
          namesFile() + " is unreadable: synthesize the CDK app first (make synth)", e);
    }
  }

  public Path computeTemplate() {
    return repo.resolve("infrastructure/cdk.out/" + computeStack() + ".template.json");
  }

  /** The secrets the image requires: ZMANIM_REQUIRED_SECRETS of its common.sh (the one list). */
  public List<String> requiredSecrets() {
    Path common = packerDir().resolve("files/usr/local/lib/zmanim/common.sh");
    try {
      Matcher m =
          Pattern.compile("(?ms)^ZMANIM_REQUIRED_SECRETS=\\((.*?)\\)")
              .matcher(Files.readString(common));
      if (!m.find()) {
        throw new IllegalStateException(common + " defines no ZMANIM_REQUIRED_SECRETS");
      }
      return List.of(m.group(1).trim().split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path apiJar() {
    return repo.resolve("api/target/zmanim-api.jar");
  }
}
