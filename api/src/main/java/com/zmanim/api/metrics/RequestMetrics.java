package com.zmanim.api.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The API's request metrics, aggregated in the process and written once a minute as CloudWatch
 * embedded metric format (EMF) lines (docs/adr/0019): one line for the whole API (dimension {@code
 * Environment}: {@code Requests}, {@code Errors5xx}, {@code LatencyP50}, {@code LatencyP99}) and
 * one per route template that answered in that minute (dimensions {@code Environment}, {@code
 * Route}: {@code Requests}, {@code LatencyP99}). A line holds only the namespace, the environment,
 * route templates from the code and numbers: never a raw path, query string or header.
 */
public final class RequestMetrics implements AutoCloseable {
  /**
   * What requests that reached no route (unknown paths, refused by the origin check) count under.
   */
  public static final String UNMATCHED_ROUTE = "unmatched";

  /** The CloudWatch namespace rules (letters, digits and . - _ / # :), never AWS's own prefix. */
  public static final Pattern NAMESPACE =
      Pattern.compile("(?!AWS/)[A-Za-z0-9._/#-][A-Za-z0-9._/#:-]{0,254}");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A flush this late after a minute's start still reports the minute before (a loaded machine).
   */
  private static final long FLUSH_SLACK_MS = 5_000;

  private final String namespace;
  private final String environment;
  private final Consumer<String> sink;
  private final Clock clock;
  private final Series total = new Series();
  private final Map<String, Series> routes = new ConcurrentHashMap<>();
  private final Map<Series, long[]> flushed = new HashMap<>();
  private final Map<Series, long[]> flushedCounts = new HashMap<>();
  private ScheduledExecutorService timer;

  /** Counters of one series; cumulative, the flush takes differences. */
  private static final class Series {
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LatencyHistogram latency = new LatencyHistogram();

    void record(int status, int bucket) {
      requests.increment();
      if (status >= 500) {
        errors.increment();
      }
      latency.recordBucket(bucket);
    }
  }

  /**
   * @param namespace CloudWatch namespace ({@link #NAMESPACE})
   * @param environment the {@code Environment} dimension's value
   * @param sink where each line goes (stdout in the service, a list in tests)
   * @param clock the lines' timestamps
   */
  public RequestMetrics(String namespace, String environment, Consumer<String> sink, Clock clock) {
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("not a CloudWatch namespace: " + namespace);
    }
    if (environment == null || environment.isBlank()) {
      throw new IllegalArgumentException("environment is required");
    }
    this.namespace = namespace;
    this.environment = environment;
    this.sink = sink;
    this.clock = clock;
  }

  /** Counts one request: its route template (or {@link #UNMATCHED_ROUTE}), status and duration. */
  public void record(String route, int status, double millis) {
    int bucket = LatencyHistogram.bucketOf(millis);
    total.record(status, bucket);
    Series series = routes.get(route);
    if (series == null) {
      series = routes.computeIfAbsent(route, r -> new Series());
    }
    series.record(status, bucket);
  }

  /** Writes a line every minute, at the minute's start (each line is one CloudWatch minute). */
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "request-metrics");
              t.setDaemon(true);
              return t;
            });
    long now = clock.millis();
    long untilNextMinute = 60_000 - now % 60_000;
    timer.scheduleAtFixedRate(this::flushQuietly, untilNextMinute, 60_000, TimeUnit.MILLISECONDS);
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      // A metrics failure must never stop the timer; the next minute carries the counts.
      System.err.println("request metrics: flush failed: " + e);
    }
  }

  /**
   * Writes the lines for what was counted since the last flush (nothing when no request came) and
   * returns them. Timestamp: the start of the minute the interval ended in, minus one minute when
   * the flush runs within a few seconds after a minute's start (the minute the requests belong to).
   */
  public synchronized List<String> flush() {
    long now = clock.millis();
    long timestamp =
        now % 60_000 < FLUSH_SLACK_MS ? now - now % 60_000 - 60_000 : now - now % 60_000;
    List<String> lines = new ArrayList<>();
    Interval all = interval(total);
    if (all.requests == 0) {
      return lines;
    }
    lines.add(line(timestamp, null, all, true));
    for (Map.Entry<String, Series> e : new TreeMap<>(routes).entrySet()) {
      Interval route = interval(e.getValue());
      if (route.requests > 0) {
        lines.add(line(timestamp, e.getKey(), route, false));
      }
    }
    lines.forEach(sink);
    return lines;
  }

  private record Interval(long requests, long errors, long[] now, long[] before) {}

  private Interval interval(Series s) {
    long[] counts = {s.requests.sum(), s.errors.sum()};
    long[] previousCounts = flushedCounts.getOrDefault(s, new long[2]);
    long[] histogram = s.latency.snapshot();
    long[] previous = flushed.getOrDefault(s, new long[LatencyHistogram.BUCKETS]);
    flushedCounts.put(s, counts);
    flushed.put(s, histogram);
    return new Interval(
        counts[0] - previousCounts[0], counts[1] - previousCounts[1], histogram, previous);
  }

  private String line(long timestamp, String route, Interval i, boolean whole) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", timestamp);
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", namespace);
    ArrayNode dimensions = directive.putArray("Dimensions").addArray();
    dimensions.add("Environment");
    if (!whole) {
      dimensions.add("Route");
    }
    ArrayNode metrics = directive.putArray("Metrics");
    metrics.addObject().put("Name", "Requests").put("Unit", "Count");
    if (whole) {
      metrics.addObject().put("Name", "Errors5xx").put("Unit", "Count");
      metrics.addObject().put("Name", "LatencyP50").put("Unit", "Milliseconds");
    }
    metrics.addObject().put("Name", "LatencyP99").put("Unit", "Milliseconds");
    root.put("Environment", environment);
    if (!whole) {
      root.put("Route", route);
    }
    root.put("Requests", i.requests);
    if (whole) {
      root.put("Errors5xx", i.errors);
      root.put("LatencyP50", round(LatencyHistogram.quantile(i.now, i.before, 0.50)));
    }
    root.put("LatencyP99", round(LatencyHistogram.quantile(i.now, i.before, 0.99)));
    return root.toString();
  }

  private static double round(double millis) {
    return Math.round(millis * 1_000) / 1_000.0;
  }

  /** Stops the timer and writes what the last, partial minute counted. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
    flushQuietly();
  }
}
