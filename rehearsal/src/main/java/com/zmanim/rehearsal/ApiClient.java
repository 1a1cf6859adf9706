package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** The instance's API as the host reaches it over the rehearsal bridge. */
public final class ApiClient {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Instance instance;

  ApiClient(Instance instance) {
    this.instance = instance;
  }

  public String url() {
    return "http://" + instance.spec().address() + ":" + instance.apiPort();
  }

  /** GET {@code path}, with optional header name/value pairs. */
  public HttpResponse<String> get(String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The status of GET /health; -1 when nothing answers. */
  public int healthStatus() {
    try {
      return get("/health").statusCode();
    } catch (IOException | UncheckedIOException e) {
      // Not answering yet, or no instance.env yet (user data has not run): not healthy.
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Waits for {@code GET /health} 200; returns when it came. Gives up early, with the boot log's
   * last lines, when zmanim-boot.service has failed.
   */
  public Instant awaitHealthy(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    long polls = 0;
    while (Instant.now().isBefore(deadline)) {
      if (!instance.running()) {
        throw new IllegalStateException(instance.name() + " stopped while waiting for /health");
      }
      if (healthStatus() == 200) {
        return Instant.now();
      }
      if (++polls % 20 == 0
          && "failed"
              .equals(
                  instance
                      .exec("systemctl", "show", "-P", "ActiveState", "zmanim-boot.service")
                      .out()
                      .strip())) {
        String tail =
            instance
                .exec(
                    "journalctl", "-b", "-t", "zmanim-boot", "--no-pager", "-o", "cat", "-n", "15")
                .out();
        throw new IllegalStateException(
            instance.name() + ": zmanim-boot.service failed before /health answered:\n" + tail);
      }
      Servers.sleep(100);
    }
    throw new IllegalStateException(
        instance.name() + ": GET /health did not answer 200 within " + timeout);
  }
}
