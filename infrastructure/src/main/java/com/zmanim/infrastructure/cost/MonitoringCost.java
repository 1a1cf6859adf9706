package com.zmanim.infrastructure.cost;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the operator's picture adds to the bill: the dashboards of the compute template, and the
 * API's request metrics when an alarm reads them (docs/adr/0019): their custom metrics (4 for the
 * whole API plus 2 per route template that gets traffic, the table's {@code apiRoutes}) and the log
 * ingestion of their embedded-metric-format lines, one per route and one for the whole API a minute
 * whatever the request rate. {@link #perRequest} prices the alternative (a line per request) at the
 * table's stated request rate, printed apart.
 *
 * @param dashboards dashboards in the compute template
 * @param apiMetrics whether an alarm reads the API's request metrics (so the API publishes them)
 */
public record MonitoringCost(int dashboards, boolean apiMetrics) {
  /**
   * Metrics of the whole-API line (Requests, Errors5xx, LatencyP50, LatencyP99) and of each route
   * line.
   */
  static final int WHOLE_API_METRICS = 4;

  static final int ROUTE_METRICS = 2;
  private static final double MINUTES_PER_MONTH = 730 * 60;
  private static final double BYTES_PER_GB = 1e9;

  public static MonitoringCost from(JsonNode compute) {
    int dashboards = 0;
    boolean api = false;
    for (JsonNode r : compute.path("Resources")) {
      String type = r.path("Type").asText();
      if ("AWS::CloudWatch::Dashboard".equals(type)) {
        dashboards++;
      } else if ("AWS::CloudWatch::Alarm".equals(type)
          && "LatencyP99".equals(r.path("Properties").path("MetricName").asText())) {
        api = true;
      }
    }
    return new MonitoringCost(dashboards, api);
  }

  /** Lines in the total. */
  public List<CostEstimate.Line> lines(String region, PriceTable prices) {
    List<CostEstimate.Line> lines = new ArrayList<>();
    if (dashboards > 0) {
      double p = prices.price(region, "cloudwatchDashboardPerMonth");
      lines.add(
          new CostEstimate.Line(
              "CloudWatch dashboard (charged beyond an account's first 3)",
              dashboards,
              "dashboards",
              p,
              dashboards * p));
    }
    if (apiMetrics) {
      int routes = (int) prices.assumption("apiRoutes");
      int metrics = WHOLE_API_METRICS + ROUTE_METRICS * routes;
      double perMetric = prices.price(region, "cloudwatchMetricPerMonth");
      lines.add(
          new CostEstimate.Line(
              "API request metrics (EMF: whole API + " + routes + " routes, assumed)",
              metrics,
              "metrics",
              perMetric,
              metrics * perMetric));
      double gb =
          (1 + routes) * prices.assumption("apiEmfLineBytes") * MINUTES_PER_MONTH / BYTES_PER_GB;
      double ingest = prices.price(region, "logsIngestionPerGb");
      lines.add(
          new CostEstimate.Line(
              "API metric lines' log ingestion ("
                  + (1 + routes)
                  + " lines a minute, any request rate)",
              gb,
              "GB",
              ingest,
              gb * ingest));
    }
    return lines;
  }

  /**
   * The same metrics written as one line per request at the table's stated rate (not in the total).
   */
  public List<CostEstimate.Line> perRequest(String region, PriceTable prices) {
    if (!apiMetrics) {
      return List.of();
    }
    double rate = prices.assumption("apiRequestsPerSecond");
    double gb = rate * 3600 * 730 * prices.assumption("apiEmfLineBytes") / BYTES_PER_GB;
    double ingest = prices.price(region, "logsIngestionPerGb");
    return List.of(
        new CostEstimate.Line(
            String.format(
                Locale.ROOT, "API metric lines, one per request at %.0f requests/s", rate),
            gb,
            "GB",
            ingest,
            gb * ingest));
  }
}
