package com.zmanim.rehearsal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** rehearsal/out/results.json: every scenario's outcome, the measured figures, machine and date. */
public final class Results {
  /** One scenario's outcome. */
  public record Scenario(String name, boolean passed, double seconds, String detail) {}

  private final List<Scenario> scenarios = new ArrayList<>();
  private final Map<String, Object> metrics = new LinkedHashMap<>();
  private final Map<String, Object> extra = new LinkedHashMap<>();

  public synchronized void add(Scenario s) {
    scenarios.add(s);
  }

  public synchronized void metric(String key, Object value) {
    metrics.put(key, value instanceof Double d ? Math.round(d * 100) / 100.0 : value);
  }

  public synchronized void extra(String key, Object value) {
    extra.put(key, value);
  }

  public synchronized void write(Path file) {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    ArrayNode arr = root.putArray("scenarios");
    for (Scenario s : scenarios) {
      ObjectNode n = arr.addObject();
      n.put("name", s.name());
      n.put("passed", s.passed());
      n.put("seconds", Math.round(s.seconds() * 10) / 10.0);
      n.put("detail", s.detail());
    }
    ObjectNode m = root.putObject("metrics");
    for (String k :
        List.of(
            "image_build_cold_s",
            "image_build_cached_s",
            "boot_to_healthy_first_s",
            "boot_to_healthy_warm_s",
            "upgrade_downtime_s")) {
      m.putPOJO(k, metrics.get(k)); // null when this run did not measure it
    }
    metrics.forEach(
        (k, v) -> {
          if (!m.has(k)) {
            m.putPOJO(k, v);
          }
        });
    root.put("machine", machine());
    root.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    extra.forEach(root::putPOJO);
    try {
      Files.createDirectories(file.getParent());
      json.writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** e.g. "x86_64, 2 cores (AMD EPYC ...), 24 GiB, Debian GNU/Linux 12 (bookworm), kernel 6.1". */
  static String machine() {
    String cpu =
        Cmd.run(
                Duration.ofSeconds(5),
                "sh",
                "-c",
                "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")
            .out()
            .strip();
    String os =
        Cmd.run(Duration.ofSeconds(5), "sh", "-c", ". /etc/os-release && echo \"$PRETTY_NAME\"")
            .out()
            .strip();
    long memGiB =
        Math.round(
            Double.parseDouble(
                    Cmd.run(
                            Duration.ofSeconds(5),
                            "sh",
                            "-c",
                            "awk '/MemTotal/ {print $2}' /proc/meminfo")
                        .out()
                        .strip())
                / 1024
                / 1024);
    return System.getProperty("os.arch")
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores ("
        + cpu
        + "), "
        + memGiB
        + " GiB, "
        + os
        + ", kernel "
        + System.getProperty("os.version");
  }
}
