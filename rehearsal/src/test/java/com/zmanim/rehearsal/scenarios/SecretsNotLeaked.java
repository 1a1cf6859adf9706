package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.util.List;

/**
 * No secret value in the journal, in any process's command line, or in a file other users can read;
 * and the API's request metrics, as the CloudWatch agent would ship them from its log file, are
 * embedded-metric-format documents holding no secret, header or query string.
 */
final class SecretsNotLeaked implements Scenario {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "secrets-not-leaked";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance i = Steps.launchHealthy(w).instance();
    String patterns = String.join("\n", w.secrets().values()) + "\n";
    // The patterns file itself is root-only and excluded from the search.
    i.sh("umask 077; cat > /run/rehearsal-secrets <<'EOF'\n" + patterns + "EOF").check();

    String journal =
        i.sh("journalctl -b --no-pager -o cat | grep -cFf /run/rehearsal-secrets || true")
            .out()
            .strip();
    assertThat(journal).as("journal lines holding a secret").isEqualTo("0");

    String argv =
        i.sh(
                "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < \"$f\" 2>/dev/null; echo; done"
                    + " | grep -cFf /run/rehearsal-secrets || true")
            .out()
            .strip();
    assertThat(argv).as("process command lines holding a secret").isEqualTo("0");

    String readable =
        i.sh(
                "grep -rlsFf /run/rehearsal-secrets --exclude-dir=proc --exclude-dir=sys"
                    + " --exclude-dir=dev / 2>/dev/null | grep -v '^/run/rehearsal-secrets$'"
                    + " | while read -r f; do p=$(stat -c %a \"$f\"); case \"$p\" in *[4567]) echo \"$f $p\";; esac; done || true")
            .out()
            .strip();
    assertThat(readable).as("world-readable files holding a secret").isEmpty();

    String holders =
        i.sh(
                "grep -rlsFf /run/rehearsal-secrets --exclude-dir=proc --exclude-dir=sys"
                    + " --exclude-dir=dev / 2>/dev/null | grep -v '^/run/rehearsal-secrets$' | xargs -r stat -c '%n %a %U'")
            .out()
            .strip();
    String metrics = metricLinesHoldNoSecret(w, i);
    return "no secret in journal or argv; holders: " + holders.replace("\n", ", ") + "; " + metrics;
  }

  /**
   * Requests with a header and a query string to remember, then a clean stop of the API (which
   * writes the last, partial minute's lines); every metric line of /var/log/zmanim/api.log (the
   * file the agent ships) must be a whole JSON document CloudWatch can read metrics from, in the
   * instance's namespace and environment, counting those requests by route template, and holding
   * none of it.
   */
  private static String metricLinesHoldNoSecret(World w, Instance i) throws Exception {
    String origin = w.secrets().get("origin-verify-secret");
    String probe = "rehearsalProbe7Q2";
    for (int n = 0; n < 3; n++) {
      var r =
          i.http(
              "/api/v1/zmanim?lat=31.778&lng=35.235&date=2026-11-24&tz=Asia/Jerusalem&note="
                  + probe,
              "X-Origin-Verify",
              origin,
              "X-Rehearsal-Probe",
              probe);
      assertThat(r.statusCode()).as("zmanim: %s", r.body()).isEqualTo(200);
    }
    assertThat(i.http("/no-such-path/" + probe).statusCode()).isEqualTo(403);
    i.exec("systemctl", "stop", "zmanim-api.service").check();
    String namespace =
        i.sh("sed -n 's/^ZMANIM_METRICS_NAMESPACE=//p' /etc/zmanim/instance.env")
            .check()
            .out()
            .strip();
    String environment =
        i.sh("sed -n 's/^ZMANIM_ENVIRONMENT=//p' /etc/zmanim/instance.env").check().out().strip();
    assertThat(namespace).as("the user data's metrics namespace").isNotEmpty();

    List<String> lines = List.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      lines =
          i.sh("grep -F '\"_aws\"' /var/log/zmanim/api.log || true").check().out().lines().toList();
      // The stop's own lines (the partial minute holding the requests above) are what counts;
      // an earlier minute's lines may already be in the file.
      if (lines.stream().anyMatch(l -> l.contains("\"Route\":\"/api/v1/zmanim\""))) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(lines)
        .as("metric lines in /var/log/zmanim/api.log after the API stopped")
        .isNotEmpty();
    long zmanimRequests = 0;
    for (String line : lines) {
      JsonNode doc = JSON.readTree(line); // the whole line, nothing before or after it
      assertThat(doc.isObject()).as("an EMF line is a JSON object: %s", line).isTrue();
      JsonNode directive = doc.at("/_aws/CloudWatchMetrics/0");
      assertThat(directive.path("Namespace").asText()).as(line).isEqualTo(namespace);
      assertThat(doc.at("/_aws/Timestamp").isIntegralNumber()).as(line).isTrue();
      assertThat(doc.path("Environment").asText()).as(line).isEqualTo(environment);
      directive
          .path("Metrics")
          .forEach(
              m ->
                  assertThat(doc.path(m.path("Name").asText()).isNumber())
                      .as("metric %s has a number in %s", m.path("Name").asText(), line)
                      .isTrue());
      if ("/api/v1/zmanim".equals(doc.path("Route").asText())) {
        zmanimRequests += doc.path("Requests").asLong();
      }
      assertThat(line).doesNotContain(probe).doesNotContain("?").doesNotContain("lat=");
      for (String secret : w.secrets().values()) {
        assertThat(line).as("a metric line holds a secret").doesNotContain(secret);
      }
    }
    assertThat(zmanimRequests)
        .as("requests counted under the route template /api/v1/zmanim")
        .isGreaterThanOrEqualTo(3);
    assertThat(i.exec("stat", "-c", "%a %U:%G", "/var/log/zmanim/api.log").check().out().strip())
        .isEqualTo("640 root:adm");
    return lines.size()
        + " EMF lines in namespace "
        + namespace
        + ", "
        + zmanimRequests
        + " zmanim requests, nothing leaked";
  }
}
