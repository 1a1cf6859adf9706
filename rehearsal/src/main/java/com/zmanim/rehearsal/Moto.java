package com.zmanim.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * moto's server as the AWS stand-in (SSM, S3, SES, EC2, CloudWatch), one per rehearsal world so no
 * two scenarios share state, bound to the bridge's host address. The harness reaches its AWS APIs
 * through {@link EmulatedAccount}'s SDK clients; {@link #data()} reads moto's own record of
 * everything that happened.
 */
public final class Moto implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Servers.Child child;
  private final String endpoint;
  private final String region;

  public Moto(Layout layout, String host, int port, String region, Path log) {
    this.endpoint = "http://" + host + ":" + port;
    this.region = region;
    Servers.requireFree("moto_server", host, port);
    this.child =
        Servers.start(
            "moto_server",
            List.of(
                layout.tool("moto_server").toString(), "-H", host, "-p", Integer.toString(port)),
            Map.of(),
            log);
    Servers.awaitHttp(child, endpoint + "/moto-api/", Duration.ofSeconds(30));
    // moto advances an S3 object's Glacier-restore state each time its status is read, and
    // data.json reads every object's; a multipart part (pgBackRest uploads large files in parts)
    // has no bucket, and reaching "RESTORED" makes data.json fail with NoSuchBucket. Nothing here
    // restores from Glacier: the state never advances.
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(endpoint + "/moto-api/state-manager/set-transition"))
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"model_name\": \"s3::keyrestore\", "
                                  + "\"transition\": {\"progression\": \"manual\", \"times\": 1000000000}}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IllegalStateException(
            "moto refused the S3 restore-state setting: " + r.statusCode() + " " + r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String endpoint() {
    return endpoint;
  }

  public String region() {
    return region;
  }

  /**
   * moto's record of its state: {@code /moto-api/data.json}. moto cannot serialise a multipart
   * upload while it is in flight (pgBackRest archives WAL in parts at any moment): that answers 500
   * for the few milliseconds until the upload completes, so a 500 is asked again, a bounded number
   * of times, and a lasting one fails naming moto's answer.
   */
  public JsonNode data() {
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> r = null;
      for (int attempt = 0; attempt < 20; attempt++) {
        r =
            http.send(
                HttpRequest.newBuilder(URI.create(endpoint + "/moto-api/data.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return JSON.readTree(r.body());
        }
        Servers.sleep(250);
      }
      throw new IllegalStateException(
          "moto's data.json answered "
              + r.statusCode()
              + " 20 times: "
              + r.body().substring(0, Math.min(300, r.body().length())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    child.close();
  }
}
