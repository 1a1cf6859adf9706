package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Bridges;
import com.zmanim.rehearsal.Image;
import com.zmanim.rehearsal.Layout;
import com.zmanim.rehearsal.Preflight;
import com.zmanim.rehearsal.Progress;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.Sweeper;
import com.zmanim.rehearsal.World;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The rehearsal: builds (or reuses) the image, then runs each selected scenario in a world of its
 * own (REHEARSAL_CASE=prefix selects by name), printing progress, printing the logs of a failed
 * case, and writing rehearsal/out/results.json. Run by `make rehearse`, never by a plain `mvn
 * verify`.
 */
class ScenarioSuite {
  /** Every scenario, in order of value. */
  static final List<Scenario> ALL =
      List.of(
          new FirstBoot(),
          new ApiPort(),
          new Reboot(),
          new AmiUpgrade(),
          new SecretScenarios.Missing(),
          new SecretScenarios.Empty(),
          new NoVolume(),
          new ForeignFilesystem(),
          new OtherPgMajor(),
          new StalePid(),
          new Crash(),
          new ReleasePinning(),
          new ReleaseZeroDowntime(),
          new RotateSecrets(),
          new SecretsNotLeaked(),
          new BackupRestore(),
          new BackupIncremental(),
          new BackupFailure(),
          new Retention(),
          new RestoreGuard(),
          new BackupHistorySafe(),
          new HostileTableName(),
          new HostileSecret(),
          new CompromisedApi(),
          new PitrLatest(),
          new PitrToTime(),
          new ArchiveOutage(),
          new AzLoss(),
          new HaApiOnly());

  /**
   * Benchmarks (docs/benchmarks.md): scenarios that measure rather than prove, too long for every
   * run; selected only by their exact name (`make bench-pitr`, `make bench-wal-idle`), never by a
   * prefix.
   */
  static final List<Scenario> BENCHMARKS = List.of(new BenchPitr(), new BenchWalIdle());

  /**
   * Scenarios written but not yet seen passing: run only when CASE names them exactly, never by
   * `make rehearse` or a prefix; each moves into {@link #ALL} once it passes.
   */
  static final List<Scenario> NOT_YET_PASSED = List.of();

  private static final Progress PROGRESS = new Progress(System.out);
  private static final Results RESULTS = new Results();
  private static Layout layout;
  private static Image image;

  /** The world of the running scenario, closed by a shutdown hook if the run is interrupted. */
  private static volatile World current;

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  World w = current;
                  if (w != null) {
                    w.close();
                  }
                }));
  }

  @BeforeAll
  static void buildImage() {
    layout = Layout.fromEnvironment();
    Preflight.check(layout);
    Sweeper.sweep(layout, false, Bridges.RUN);
    try {
      image = Image.buildOrReuse(layout, PROGRESS);
      if (image.cached()) {
        RESULTS.metric("image_build_cold_s", image.buildSeconds());
        RESULTS.metric("image_build_cached_s", image.thisRunSeconds());
        RESULTS.extra(
            "image_build_cold_note",
            "cold figure from the build that made the cached image " + image.key());
      } else {
        RESULTS.metric("image_build_cold_s", image.thisRunSeconds());
        RESULTS.metric(
            "image_build_cached_s", Image.buildOrReuse(layout, PROGRESS).thisRunSeconds());
      }
      RESULTS.extra("image", image.key());
      RESULTS.extra("api_version_baked", image.apiVersion());
    } finally {
      RESULTS.write(layout.out().resolve("results.json"));
    }
  }

  @TestFactory
  Stream<DynamicTest> scenarios() {
    String prefix = System.getenv().getOrDefault("REHEARSAL_CASE", "");
    List<String> prefixes = List.of(prefix.split(","));
    List<Scenario> exactOnly = Stream.concat(BENCHMARKS.stream(), NOT_YET_PASSED.stream()).toList();
    List<Scenario> selected =
        Stream.concat(
                ALL.stream()
                    .filter(s -> prefixes.stream().anyMatch(p -> s.name().startsWith(p.strip()))),
                exactOnly.stream()
                    .filter(s -> prefixes.stream().anyMatch(p -> s.name().equals(p.strip()))))
            .toList();
    assertThat(selected).as("scenarios whose name starts with '%s'", prefix).isNotEmpty();
    return selected.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> runOne(s)));
  }

  private static void runOne(Scenario s) throws Exception {
    PROGRESS.say("▶ " + s.name());
    long t0 = System.nanoTime();
    World world = null;
    try {
      world = new World(layout, image, PROGRESS, s.name(), Bridges.RUN, Bridges.RUN_PREFIX);
      current = world;
      String detail = s.run(world, RESULTS);
      double secs = (System.nanoTime() - t0) / 1e9;
      RESULTS.add(new Results.Scenario(s.name(), true, secs, detail));
      PROGRESS.say(String.format("✔ %s (%.1f s): %s", s.name(), secs, detail));
    } catch (Throwable t) {
      double secs = (System.nanoTime() - t0) / 1e9;
      if (world != null) {
        world.saveLogs();
      }
      RESULTS.add(new Results.Scenario(s.name(), false, secs, firstLine(t)));
      PROGRESS.say(String.format("✘ %s (%.1f s): %s", s.name(), secs, firstLine(t)));
      printLogs(s.name());
      throw t;
    } finally {
      try {
        if (world != null) {
          current = null;
          world.close();
        }
      } finally {
        RESULTS.write(layout.out().resolve("results.json"));
      }
    }
  }

  /** The failure in one line (AssertJ puts the description and the values on separate lines). */
  private static String firstLine(Throwable t) {
    String m = String.valueOf(t.getMessage()).strip().replaceAll("\\s*\n\\s*", " ");
    return t.getClass().getSimpleName()
        + ": "
        + (m.length() > 300 ? m.substring(0, 300) + "..." : m);
  }

  /**
   * A failed case's logs: per instance the console's and the journal's last lines, the failed
   * units; the AWS calls that moto refused; the files stay in rehearsal/out/<scenario>/.
   */
  private static void printLogs(String name) {
    Path dir = layout.out().resolve(name);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String file = f.getFileName().toString();
        List<String> lines = Files.readAllLines(f);
        if (file.equals("moto.log")) {
          lines = lines.stream().filter(l -> l.matches(".*\" [45]\\d\\d .*")).toList();
          tail(f + " (refused requests)", lines, 20);
        } else if (file.startsWith("journal-")) {
          tail(f.toString(), lines, 80);
        } else if (file.startsWith("units-")) {
          tail(
              f + " (failed units)",
              lines.stream().filter(l -> l.contains(" failed ")).toList(),
              20);
        } else if (file.equals("console.log")) {
          tail(f.toString(), lines, 15);
        }
      }
    } catch (IOException | RuntimeException e) {
      System.out.println("(cannot print the logs in " + dir + ": " + e + ")");
    }
    System.out.println("----- all logs of " + name + ": " + dir);
  }

  private static void tail(String title, List<String> lines, int n) {
    int from = Math.max(0, lines.size() - n);
    System.out.println("----- " + title + (from > 0 ? " (last " + n + " lines)" : ""));
    lines.subList(from, lines.size()).forEach(System.out::println);
  }

  @AfterAll
  static void writeResults() {
    if (layout != null) {
      RESULTS.write(layout.out().resolve("results.json"));
      PROGRESS.say("results: " + layout.out().resolve("results.json"));
    }
  }
}
