package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Secrets that carry shell: each value below passes the old deny-list (no whitespace, quotes,
 * backslash, $ or backtick) but, had it been written into an env file that bash sources, would
 * create a marker file as root. One after the other, each is put into SSM for one parameter and a
 * fresh instance launched on the blank volume: the boot fails naming that parameter (never showing
 * the value), no service starts, no secret file is written, the marker does not exist, the volume
 * stays blank. Meanwhile endpoints.env carries a known key whose value is shell too: parsed as
 * text, it runs nothing. Finally, with good secrets, the instance boots healthy (the same hostile
 * endpoints.env line included) and no marker exists; then a BASH_ENV line added to endpoints.env
 * (what bash would run at start under EnvironmentFile=) makes a re-run of the boot fail naming the
 * key, running nothing.
 */
final class HostileSecret implements Scenario {
  private static final String MARKER = "/run/zmanim-pwned";
  private static final String PAD = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

  /** metacharacter → (parameter, value). */
  static final Map<String, String[]> PAYLOADS = new LinkedHashMap<>();

  static {
    PAYLOADS.put(";", new String[] {"restic-password", PAD + ";>" + MARKER + "-semicolon"});
    PAYLOADS.put(
        "|", new String[] {"postgres-password", PAD + "|tee</dev/null>" + MARKER + "-pipe"});
    PAYLOADS.put("&", new String[] {"redis-password", PAD + "&>" + MARKER + "-ampersand"});
    PAYLOADS.put("(", new String[] {"origin-verify-secret", PAD + ";(>" + MARKER + "-paren)"});
    PAYLOADS.put("{", new String[] {"restic-password", PAD + ";{>" + MARKER + "-brace;}"});
    PAYLOADS.put("glob", new String[] {"postgres-password", PAD + "/r?n/*[a-z]"});
    PAYLOADS.put("newline", new String[] {"redis-password", PAD + "\n>" + MARKER + "-newline"});
  }

  @Override
  public String name() {
    return "hostile-secret";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Map<String, String> good = new LinkedHashMap<>(w.secrets());
    // A known key of endpoints.env whose value is shell: data for the parser, nothing runs.
    w.endpointsExtra().put("ZMANIM_CHECK_SUBSET", "10%;>" + MARKER + "-envfile");
    List<String> refused = new ArrayList<>();
    for (var p : PAYLOADS.entrySet()) {
      String param = p.getValue()[0];
      w.secrets().putAll(good);
      w.secrets().put(param, p.getValue()[1]);
      Steps.FailedBoot boot = Steps.launchFailingBoot(w);
      Instance i = boot.instance();
      String log = boot.log();
      assertThat(log)
          .as("the boot log with a '%s' in %s names the parameter", p.getKey(), param)
          .contains(
              "required secret "
                  + w.ssmName(param)
                  + " is not 32 to 256 URL-safe base64 characters");
      assertThat(log).as("the boot log never shows the value").doesNotContain(PAD);
      Steps.assertNoServiceStarted(i);
      assertNoMarker(i);
      for (String f :
          List.of(
              "/etc/restic/env",
              "/etc/restic/password",
              "/opt/zmanim/config.env",
              "/etc/redis/zmanim-secrets.conf")) {
        assertThat(i.exec("test", "-e", f).exit())
            .as("%s written despite a refused secret", f)
            .isNotZero();
      }
      assertThat(Steps.blkid(w, "TYPE")).as("the volume holds no filesystem (untouched)").isEmpty();
      refused.add(p.getKey() + " in " + param);
      w.terminate(i);
    }

    // Good secrets: the same endpoints.env boots, and its shell-looking value ran nothing.
    w.secrets().putAll(good);
    Instance i = Steps.launchHealthy(w).instance();
    assertNoMarker(i);
    assertThat(i.exec("stat", "-c", "%a %U", "/etc/restic/password").check().out().strip())
        .as("restic's password file")
        .isEqualTo("600 root");
    assertThat(Files.readString(i.root().resolve("etc/restic/env")))
        .as("/etc/restic/env holds no secret")
        .doesNotContain(good.get("restic-password"))
        .contains("RESTIC_PASSWORD_FILE=/etc/restic/password");

    // BASH_ENV in endpoints.env: bash would run that file at start if a unit passed the file to it.
    Files.writeString(i.root().resolve("etc/zmanim/evil.sh"), "touch " + MARKER + "-bash-env\n");
    Files.writeString(
        i.root().resolve("etc/zmanim/endpoints.env"),
        "BASH_ENV=/etc/zmanim/evil.sh\n",
        java.nio.file.StandardOpenOption.APPEND);
    assertThat(i.exec(Duration.ofMinutes(2), "systemctl", "restart", "zmanim-boot.service").exit())
        .as("zmanim-boot re-run with BASH_ENV in endpoints.env")
        .isNotZero();
    assertThat(Steps.unitLog(i, "zmanim-boot.service"))
        .contains("key BASH_ENV is not one this file may set");
    assertNoMarker(i);
    return "refused at boot naming the parameter: "
        + refused
        + "; nothing written, no marker, volume blank; "
        + "shell in endpoints.env values ran nothing; BASH_ENV refused";
  }

  private static void assertNoMarker(Instance i) {
    assertThat(i.sh("ls -d " + MARKER + "* 2>/dev/null || true").out().strip())
        .as("marker files")
        .isEmpty();
  }
}
