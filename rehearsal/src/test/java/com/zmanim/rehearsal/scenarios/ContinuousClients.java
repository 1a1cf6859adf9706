package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Servers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clients that GET /health on fresh connections (each request on a connection of its own) until
 * stopped or bounded in count and time, recording every answer: when it started and ended, its
 * status and the version it names, or the error.
 */
final class ContinuousClients implements AutoCloseable {
  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");
  private static final int CLIENTS = 2;
  private static final int MAX_REQUESTS = 200_000;
  private static final Duration MAX_TIME = Duration.ofMinutes(12);

  /** Between two requests of a client: ~100 requests/s in all, light on a shared machine. */
  private static final long PAUSE_MS = 20;

  /**
   * One request's outcome: when it started and ended (ms since the load began), status, version or
   * error.
   */
  record Answer(long startMs, long endMs, int status, String version, String error) {
    long ms() {
      return endMs - startMs;
    }
  }

  private final String host;
  private final int port;
  private final long t0 = System.nanoTime();
  private final List<Answer> answers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;

  ContinuousClients(URI api) {
    this.host = api.getHost();
    this.port = api.getPort();
  }

  void start() {
    for (int c = 0; c < CLIENTS; c++) {
      Thread t = new Thread(this::loop, "release-load-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  private void loop() {
    while (!stop && now() < MAX_TIME.toMillis()) {
      Answer a = get();
      synchronized (answers) {
        if (answers.size() >= MAX_REQUESTS) {
          return;
        }
        answers.add(a);
      }
      Servers.sleep(PAUSE_MS);
    }
  }

  private Answer get() {
    long start = now();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 5_000);
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      long end = now();
      if (!response.startsWith("HTTP/1.1 ")) {
        return new Answer(start, end, -1, null, "not an HTTP response: " + abbreviate(response));
      }
      int status = Integer.parseInt(response.substring(9, 12));
      Matcher m = VERSION.matcher(response);
      return new Answer(
          start,
          end,
          status,
          m.find() ? m.group(1) : null,
          status == 200 ? null : abbreviate(response));
    } catch (IOException | RuntimeException e) {
      return new Answer(start, now(), -1, null, e.toString());
    }
  }

  private static String abbreviate(String s) {
    String one = s.replaceAll("\\s+", " ");
    return one.length() > 200 ? one.substring(0, 200) + "..." : one;
  }

  int count() {
    synchronized (answers) {
      return answers.size();
    }
  }

  void awaitMore(int more) {
    int target = count() + more;
    long deadline = now() + 60_000;
    while (count() < target) {
      assertThat(now()).as("%d more answers within 60 s", more).isLessThan(deadline);
      assertThat(threads.stream().anyMatch(Thread::isAlive)).as("clients still running").isTrue();
      Servers.sleep(50);
    }
  }

  List<Answer> answers() {
    synchronized (answers) {
      return List.copyOf(answers);
    }
  }

  @Override
  public void close() {
    stop = true;
    for (Thread t : threads) {
      try {
        t.join(70_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
