package com.zmanim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.api.support.RunningApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.AbstractConnector;
import org.junit.jupiter.api.Test;

/**
 * Stopping (what SIGTERM's shutdown hook does) finishes in-flight requests, answers those that
 * arrive on connections already open, and refuses new connections.
 */
class GracefulStopTest {

  @Test
  void aStopLetsTheInFlightRequestFinishThenRefusesConnections() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    RunningApi api =
        RunningApi.with(
            Map.of(),
            app ->
                app.get(
                    "/test/slow",
                    ctx -> {
                      inside.countDown();
                      Thread.sleep(1_500);
                      ctx.result("done");
                    }));
    int port = api.app.port();
    CompletableFuture<String> inFlight =
        CompletableFuture.supplyAsync(() -> api.get("/test/slow").body());
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    api.close();
    long stopMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(stopMs).as("stop waited for the request").isGreaterThanOrEqualTo(1_000);
    try (var socket = new java.net.Socket("127.0.0.1", port)) {
      throw new AssertionError("still accepting connections on " + port);
    } catch (ConnectException expected) {
      // refused: the server is gone
    }
  }

  @Test
  void aRequestOnAKeepAliveConnectionOpenAtTheStopIsAnsweredThenItsConnectionClosed()
      throws Exception {
    RunningApi api =
        RunningApi.with(Map.of(), app -> app.get("/test/hello", ctx -> ctx.result("hello")));
    try (Socket keepAlive = new Socket("127.0.0.1", api.app.port())) {
      keepAlive.setSoTimeout(10_000);
      assertThat(exchange(keepAlive)).startsWith("HTTP/1.1 200").endsWith("hello");
      AbstractConnector connector =
          (AbstractConnector) api.app.jettyServer().server().getConnectors()[0];
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> Main.stopServer(api.app));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!connector.isShutdown() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(connector.isShutdown()).as("the stop began").isTrue();

      assertThat(exchange(keepAlive))
          .as("the request sent on the open connection during the stop")
          .startsWith("HTTP/1.1 200")
          .endsWith("hello");
      assertThat(keepAlive.getInputStream().read()).as("then the server closed it").isEqualTo(-1);
      keepAlive.close(); // as a client does on the server's close: the drain then ends
      stopping.get(30, TimeUnit.SECONDS);
    } finally {
      api.close();
    }
  }

  /** One GET on the connection, kept open; returns the response (head and body). */
  private static String exchange(Socket s) throws IOException {
    s.getOutputStream()
        .write(
            "GET /test/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return head.toString(StandardCharsets.US_ASCII);
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.US_ASCII);
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(h);
    int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
    return h + new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }
}
