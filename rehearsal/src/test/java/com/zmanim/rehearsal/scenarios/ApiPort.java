package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.CfnSignalRecorder;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.util.List;

/**
 * A deploy with {@code apiPort=9090} in the CDK context: the port flows from the configuration
 * through the user data (ZMANIM_API_PORT) and the boot logic (config.env's PORT) to the API, which
 * listens on 9090 and not on 8080, and the boot probes /health there: it signals SUCCESS only
 * because it found the API on the configured port.
 */
final class ApiPort implements Scenario {
  static final int PORT = 9090;

  @Override
  public String name() {
    return "api-port";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    w.redeploy("{\"apiPort\":" + PORT + "}");
    Steps.Healthy healthy = Steps.launchHealthy(w);
    Instance i = healthy.instance();
    double seconds = healthy.secondsToHealthy();

    assertThat(i.exec("grep", "-x", "ZMANIM_API_PORT=" + PORT, "/etc/zmanim/instance.env").ok())
        .as("the user data wrote the configured port")
        .isTrue();
    assertThat(i.exec("grep", "-x", "PORT=" + PORT, "/opt/zmanim/config.env").ok())
        .as("the boot gave it to the API")
        .isTrue();
    assertThat(i.apiUrl()).endsWith(":" + PORT);
    assertThat(i.http("/health").statusCode())
        .as("/health from the host on %d", PORT)
        .isEqualTo(200);
    assertThat(i.exec("curl", "-fsS", "--max-time", "3", "http://127.0.0.1:8080/health").ok())
        .as("nothing answers on the default port")
        .isFalse();

    // The boot waited for /health on the configured port, then signalled success.
    assertThat(Steps.unitLog(i, "zmanim-boot.service")).contains("API healthy");
    List<CfnSignalRecorder.Signal> signals = w.awaitSignals(1, Duration.ofSeconds(30));
    assertThat(signals).extracting(CfnSignalRecorder.Signal::status).containsExactly("SUCCESS");
    return String.format(
        "healthy on %d in %.1f s (boot probed it there and signalled SUCCESS); nothing on 8080",
        PORT, seconds);
  }
}
