package com.zmanim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.api.support.RunningApi;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping (what SIGTERM's shutdown hook does) finishes in-flight requests and refuses new ones.
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
}
