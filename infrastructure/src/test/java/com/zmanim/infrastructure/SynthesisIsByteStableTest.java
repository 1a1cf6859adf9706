package com.zmanim.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.infrastructure.support.SynthesizeProfiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two syntheses of the same app are the same bytes, so that a diff of the templates shows what
 * changed and nothing else. The CDK writes a Java map's entries in the map's iteration order, and
 * the order of {@code Map.of}, {@code Set.of} and hash-based collections changes from one JVM to
 * the next: construct code hands the CDK none of them ({@link Ordered} keeps written order), and
 * the app synthesized in two JVMs gives identical templates.
 */
class SynthesisIsByteStableTest {

  /** Collections whose iteration order is not the written one. */
  private static final Pattern UNORDERED =
      Pattern.compile(
          "\\b(Map\\.(?:<[^>()]*>)?ofEntries|Map\\.(?:<[^>()]*>)?of|Set\\.(?:<[^>()]*>)?of"
              + "|Map\\.copyOf|Set\\.copyOf|new\\s+HashMap|new\\s+HashSet"
              + "|Collectors\\.toMap|Collectors\\.toSet|Collectors\\.groupingBy)\\s*(?:<[^>()]*>)?\\(");

  @Test
  void noMainSourceBuildsAMapOrSetOfMoreThanOneEntryWhoseOrderChangesPerJvm() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        found.addAll(unordered(f, Files.readString(f)));
      }
    }
    assertThat(found)
        .as("use Ordered.map/Ordered.of (or a List) where a map or set reaches a construct")
        .isEmpty();
  }

  @Test
  void theSourceCheckFindsEveryUnorderedForm() {
    String code =
        """
        var a = Map.of("k", 1);
        var b = Map.of("k", 1, "l", 2);
        var c = Map.<String, Object>of("k", f(1, 2), "l", 2);
        var d = Set.of("x", "y");
        var e = Set.of("x");
        var g = new HashMap<>(other);
        var h = Ordered.map("k", 1, "l", 2); // Map.of("k", 1, "l", 2) in a comment
        var i = "Map.of(\\"k\\", 1, \\"l\\", 2)";
        """;
    assertThat(unordered(Path.of("Example.java"), code))
        .containsExactly(
            "Example.java:2: Map.of with 2 entries",
            "Example.java:3: Map.of with 2 entries",
            "Example.java:4: Set.of with 2 entries",
            "Example.java:6: new HashMap");
  }

  @Test
  void theAppSynthesizedInTwoJvmsGivesIdenticalTemplates(@TempDir Path dir) throws Exception {
    Path first = synthesizeInOwnJvm(dir.resolve("first"));
    Path second = synthesizeInOwnJvm(dir.resolve("second"));
    for (String profile : SynthesizeProfiles.PROFILES) {
      List<Path> templates = templates(first.resolve(profile));
      assertThat(templates).as("templates of profile %s", profile).isNotEmpty();
      assertThat(templates(second.resolve(profile)).stream().map(Path::getFileName).toList())
          .isEqualTo(templates.stream().map(Path::getFileName).toList());
      for (Path t : templates) {
        Path other = second.resolve(profile).resolve(t.getFileName());
        assertThat(firstDifference(Files.readString(t), Files.readString(other)))
            .as("%s of profile %s, synthesized twice", t.getFileName(), profile)
            .isEmpty();
      }
    }
  }

  /** "" when equal, else the first line where {@code a} and {@code b} differ, from each. */
  private static String firstDifference(String a, String b) {
    List<String> la = a.lines().toList();
    List<String> lb = b.lines().toList();
    for (int k = 0; k < Math.max(la.size(), lb.size()); k++) {
      String x = k < la.size() ? la.get(k) : "(end)";
      String y = k < lb.size() ? lb.get(k) : "(end)";
      if (!x.equals(y)) {
        return String.format("line %d:%n  first:  %s%n  second: %s", k + 1, x.strip(), y.strip());
      }
    }
    return "";
  }

  private static List<Path> templates(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".template.json")).sorted().toList();
    }
  }

  private static Path synthesizeInOwnJvm(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path log = dir.resolve("synth.log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SynthesizeProfiles.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the synthesis did not end within 10 minutes: " + log);
    }
    assertThat(p.exitValue()).as("synthesis in its own JVM: %s", Files.readString(log)).isZero();
    return dir;
  }

  /** Every unordered collection of more than one entry in {@code code}, as "file:line: what". */
  static List<String> unordered(Path file, String code) {
    String bare = withoutCommentsAndStrings(code);
    List<String> found = new ArrayList<>();
    Matcher m = UNORDERED.matcher(bare);
    while (m.find()) {
      String what = m.group(1).replaceAll("<[^>]*>", "").replaceAll("\\s+", " ");
      int args = arguments(bare, m.end());
      int entries = what.equals("Map.of") ? args / 2 : args;
      boolean several =
          what.equals("Map.of") || what.equals("Map.ofEntries") || what.equals("Set.of");
      if (!several || entries > 1) {
        int line = (int) bare.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
        found.add(
            file + ":" + line + ": " + what + (several ? " with " + entries + " entries" : ""));
      }
    }
    return found;
  }

  /** The number of arguments of the call whose "(" ends just before {@code from}. */
  private static int arguments(String code, int from) {
    int depth = 1;
    int commas = 0;
    boolean any = false;
    for (int i = from; i < code.length() && depth > 0; i++) {
      char c = code.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 1) {
        commas++;
      }
      if (depth > 0 && !Character.isWhitespace(c)) {
        any = true;
      }
    }
    return any ? commas + 1 : 0;
  }

  /**
   * {@code code} with comments, string and character literals (text blocks too) blanked, lines
   * kept: a call named in a comment or a string is no call.
   */
  private static String withoutCommentsAndStrings(String code) {
    StringBuilder out = new StringBuilder(code.length());
    int i = 0;
    while (i < code.length()) {
      char c = code.charAt(i);
      String end = null;
      if (code.startsWith("//", i)) {
        end = "\n";
      } else if (code.startsWith("/*", i)) {
        end = "*/";
      } else if (code.startsWith("\"\"\"", i)) {
        end = "\"\"\"";
      } else if (c == '"' || c == '\'') {
        end = String.valueOf(c);
      }
      if (end == null) {
        out.append(c);
        i++;
        continue;
      }
      int start = i;
      i += end.equals("\"\"\"") ? 3 : end.equals("*/") ? 2 : 1;
      while (i < code.length() && !code.startsWith(end, i)) {
        i += code.charAt(i) == '\\' && !end.equals("\n") && !end.equals("*/") ? 2 : 1;
      }
      i = Math.min(code.length(), i + (end.equals("\n") ? 0 : end.length()));
      for (int k = start; k < i; k++) {
        out.append(code.charAt(k) == '\n' ? '\n' : ' ');
      }
    }
    return out.toString();
  }
}
