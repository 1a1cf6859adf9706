package com.zmanim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.api.support.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The entry point under socket activation, as zmanim-api.socket runs it: the listening socket is
 * the JVM's standard input (what systemd's StandardInput=socket passes). systemd-socket-activate
 * holds the socket and a shell runs two JVMs one after the other on it, like a restart of the
 * service: requests sent all along, across the first JVM's SIGTERM and the second one's start-up,
 * all succeed.
 */
class SocketActivationTest {
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final Path ACTIVATE = Path.of("/usr/bin/systemd-socket-activate");

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** One request on a connection of its own: the status code, or -1 when the connection failed. */
  private static int get(int port, String path) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      in.readAllBytes();
      return head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Until /health answers 200 on the port, while the process lives (90 s at most). */
  private static void awaitHealthy(int port, Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (get(port, "/health") != 200) {
      assertThat(System.nanoTime())
          .as("healthy within 90 s: %s", Files.readString(log))
          .isLessThan(deadline);
      assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
      Thread.sleep(100);
    }
  }

  @Test
  void twoJvmsInTurnOnTheInheritedSocketServeEveryRequestSentAcrossTheRestart() throws Exception {
    assertThat(ACTIVATE)
        .as("systemd-socket-activate (Debian package systemd) holds the socket")
        .isExecutable();
    int socketPort = freePort();
    int configuredPort = freePort();
    Map<String, String> env = new HashMap<>(TestDatabases.get().environment());
    // The configured address is not where an inherited socket listens: nothing may bind it.
    env.put("HOST", "127.0.0.1");
    env.put("PORT", Integer.toString(configuredPort));
    // --inetd makes the socket standard output too: the shell sends output back to the log first.
    String jvm =
        "'"
            + JAVA
            + "' -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + Main.class.getName();
    Path log = Files.createTempFile("zmanim-socket", ".log");
    List<String> command =
        new ArrayList<>(List.of(ACTIVATE.toString(), "--inetd", "-l", "127.0.0.1:" + socketPort));
    // systemd-socket-activate passes on only the variables named (by name: values stay out of
    // argv).
    env.keySet().forEach(name -> command.add("--setenv=" + name));
    // The second start retries like the unit's Restart=on-failure (a loaded machine's database can
    // miss the first connection timeout).
    command.addAll(
        List.of("/bin/sh", "-c", "exec 1>&2; " + jvm + "; until " + jvm + "; do sleep 1; done"));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process holder = pb.start();
    try {
      awaitHealthy(socketPort, holder, log);
      assertThat(Files.readString(log)).contains("listening on the inherited socket");
      assertThat(get(configuredPort, "/health"))
          .as("nothing bound the configured port")
          .isEqualTo(-1);
      // systemd-socket-activate exec()s the shell: the JVM is the holder's child.
      ProcessHandle first =
          holder
              .toHandle()
              .children()
              .findFirst()
              .orElseThrow(() -> new AssertionError("no JVM under the shell"));

      List<Integer> statuses = new ArrayList<>();
      AtomicBoolean secondServing = new AtomicBoolean();
      Thread client =
          new Thread(
              () -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                int afterSecond = 0;
                while (afterSecond < 20 && System.nanoTime() < end) {
                  int status = get(socketPort, "/health");
                  synchronized (statuses) {
                    statuses.add(status);
                  }
                  if (secondServing.get()) {
                    afterSecond++;
                  }
                }
              });
      client.start();
      Thread.sleep(500);
      first.destroy(); // SIGTERM, as systemctl restart sends it
      assertThat(first.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (holder.toHandle().children().noneMatch(p -> p.pid() != first.pid())) {
        assertThat(System.nanoTime())
            .as("second JVM started: %s", Files.readString(log))
            .isLessThan(deadline);
        Thread.sleep(50);
      }
      while (!Files.readString(log)
          .replaceFirst("(?s).*?listening on the inherited socket", "")
          .contains("listening on the inherited socket")) {
        assertThat(System.nanoTime())
            .as("second JVM listening: %s", Files.readString(log))
            .isLessThan(deadline);
        Thread.sleep(50);
      }
      secondServing.set(true);
      client.join(TimeUnit.SECONDS.toMillis(150));
      assertThat(client.isAlive()).isFalse();
      synchronized (statuses) {
        // Every request got an HTTP answer: none refused or dropped (a 503 is /health saying the
        // test database was slow on a loaded machine: answered all the same).
        assertThat(statuses)
            .as("requests across the restart")
            .hasSizeGreaterThan(20)
            .doesNotContain(-1)
            .contains(200);
      }
    } finally {
      // The shell first, so that it starts no JVM after the last one is gone.
      List<ProcessHandle> jvms = holder.toHandle().descendants().toList();
      holder.destroyForcibly();
      jvms.forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void withoutAnInheritedSocketTheApiBindsTheConfiguredPortItself() throws Exception {
    int port = freePort();
    Map<String, String> env = new HashMap<>(TestDatabases.get().environment());
    env.put("PORT", Integer.toString(port));
    Path log = Files.createTempFile("zmanim-bind", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                JAVA.toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      awaitHealthy(port, p, log);
      assertThat(Files.readString(log))
          .contains("listening on ")
          .doesNotContain("inherited socket");
    } finally {
      p.destroyForcibly();
    }
  }
}
