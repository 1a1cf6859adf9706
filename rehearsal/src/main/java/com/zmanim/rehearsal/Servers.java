package com.zmanim.rehearsal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Starting and stopping the helper servers the rehearsal runs as child processes. */
public final class Servers {
  private Servers() {}

  /** A child process with its log file, stopped (and its children) on close. */
  public record Child(String name, Process process, Path log) implements AutoCloseable {
    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Fails when something already listens on host:port (a server an interrupted run left behind).
   */
  public static void requireFree(String name, String host, int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress(host, port), 500);
    } catch (IOException free) {
      return;
    }
    throw new IllegalStateException(
        host
            + ":"
            + port
            + " (for "
            + name
            + ") is taken by another process: "
            + "a server an interrupted run left behind? (ss -ltnp 'sport = :"
            + port
            + "')");
  }

  public static Child start(String name, List<String> argv, Map<String, String> env, Path log) {
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(new File("/dev/null"));
    pb.environment().putAll(env);
    try {
      return new Child(name, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** Waits until {@code url} answers any HTTP status, or fails naming the server and its log. */
  public static void awaitHttp(Child child, String url, Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!child.process().isAlive()) {
        throw new IllegalStateException(child.name() + " exited early; log: " + child.log());
      }
      try {
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        child.name()
            + " did not answer on "
            + url
            + " within "
            + timeout
            + "; log: "
            + child.log());
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
