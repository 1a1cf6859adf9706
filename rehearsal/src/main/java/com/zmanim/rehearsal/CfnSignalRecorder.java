package com.zmanim.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A recording stand-in for exactly one AWS call moto does not implement: CloudFormation's {@code
 * SignalResource}. The instance reaches it through {@code AWS_ENDPOINT_URL_CLOUDFORMATION}; it
 * records each signal and answers as CloudFormation does. Every other action gets an error, so a
 * boot script that called something else through this endpoint would fail, not pass silently.
 */
public final class CfnSignalRecorder implements AutoCloseable {
  /** One recorded signal. */
  public record Signal(
      String stackName, String logicalResourceId, String uniqueId, String status) {}

  private final HttpServer server;
  private final List<Signal> signals = new CopyOnWriteArrayList<>();
  private final List<String> unexpected = new CopyOnWriteArrayList<>();

  public CfnSignalRecorder(String host, int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the signal recorder to " + host + ":" + port, e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  public String endpoint() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  public List<Signal> signals() {
    return List.copyOf(signals);
  }

  /**
   * Waits until at least {@code n} signals came (the boot logic signals right after it saw /health
   * 200, so a scenario that saw /health first must wait a moment), or the timeout passed; returns
   * them.
   */
  public List<Signal> await(int n, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (signals.size() < n && Instant.now().isBefore(deadline)) {
      Servers.sleep(200);
    }
    return signals();
  }

  /** Requests for anything but SignalResource (should stay empty). */
  public List<String> unexpected() {
    return List.copyOf(unexpected);
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> params = new HashMap<>();
    String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
    if (target != null) { // JSON protocol
      params.put("Action", target.substring(target.lastIndexOf('.') + 1));
      JsonNode n = new ObjectMapper().readTree(body.isBlank() ? "{}" : body);
      n.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    } else { // query protocol (form-encoded)
      for (String pair : body.split("&")) {
        int i = pair.indexOf('=');
        if (i > 0) {
          params.put(
              URLDecoder.decode(pair.substring(0, i), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
        }
      }
    }
    String requestId = UUID.randomUUID().toString();
    if ("SignalResource".equals(params.get("Action"))) {
      signals.add(
          new Signal(
              params.get("StackName"),
              params.get("LogicalResourceId"),
              params.get("UniqueId"),
              params.get("Status")));
      reply(
          ex,
          200,
          target != null
              ? "{}"
              : "<SignalResourceResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                  + "<ResponseMetadata><RequestId>"
                  + requestId
                  + "</RequestId></ResponseMetadata>"
                  + "</SignalResourceResponse>");
    } else {
      unexpected.add(
          params.getOrDefault("Action", ex.getRequestMethod() + " " + ex.getRequestURI()));
      reply(
          ex,
          400,
          "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>"
              + "the rehearsal's signal recorder answers SignalResource only</Message></Error><RequestId>"
              + requestId
              + "</RequestId></ErrorResponse>");
    }
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders()
        .add("Content-Type", body.startsWith("{") ? "application/x-amz-json-1.0" : "text/xml");
    ex.sendResponseHeaders(status, b.length);
    try (var os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
