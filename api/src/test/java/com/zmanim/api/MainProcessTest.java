package com.zmanim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.api.support.Json;
import com.zmanim.api.support.TestDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real entry point in its own JVM, as systemd runs it: configuration errors stop it naming the
 * variable, and SIGTERM stops it cleanly (exit 143 after the shutdown hook closed the pools).
 */
class MainProcessTest {
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  private static Process start(Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
                JAVA.toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb.start();
  }

  @Test
  void aMissingDatabaseUrlStopsStartUpWithExitCode2AndALogLineNamingIt() throws Exception {
    Path log = Files.createTempFile("zmanim-main", ".log");
    Process p = start(Map.of("ENVIRONMENT", "test", "PORT", "0"), log);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    String out = Files.readString(log, StandardCharsets.UTF_8);
    String line =
        out.lines()
            .filter(l -> l.contains("configuration error"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(out));
    assertThat(Json.parse(line).get("message").asText())
        .contains("DATABASE_URL")
        .contains("required");
    assertThat(Json.parse(line).get("level").asText()).isEqualTo("ERROR");
  }

  @Test
  void sigtermStopsTheServiceCleanlyWellWithinThirtySeconds() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = new HashMap<>(TestDatabases.get().environment());
    env.put("PORT", Integer.toString(port));
    Path log = Files.createTempFile("zmanim-main", ".log");
    Process p = start(env, log);
    try {
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest health =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
              .timeout(Duration.ofSeconds(5))
              .build();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      int status = 0;
      while (status != 200 && System.nanoTime() < deadline && p.isAlive()) {
        try {
          status = client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      assertThat(status).as(Files.readString(log)).isEqualTo(200);

      long t0 = System.nanoTime();
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(30_000);
      assertThat(p.exitValue()).isEqualTo(143);
      List<String> messages =
          Files.readAllLines(log).stream()
              .filter(l -> l.startsWith("{"))
              .map(l -> Json.parse(l).get("message").asText())
              .toList();
      assertThat(messages)
          .anyMatch(m -> m.startsWith("stopping:"))
          .anyMatch(m -> m.startsWith("stopped in"));
      String all = Files.readString(log);
      assertThat(all)
          .doesNotContain(TestDatabases.get().databasePassword)
          .doesNotContain(TestDatabases.get().redisPassword);
    } finally {
      p.destroyForcibly();
    }
  }
}
