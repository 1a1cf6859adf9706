package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;

/**
 * The volume never appears: the boot waits a bounded time and fails loudly; nothing lands under
 * /data on the root.
 */
final class NoVolume implements Scenario {
  @Override
  public String name() {
    return "no-volume";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    w.attachWatcher(false);
    // The image waits 300 s by default (ZMANIM_ATTACH_TIMEOUT_S); the rehearsal proves the bounded
    // wait with 30 s.
    w.endpointsExtra().put("ZMANIM_ATTACH_TIMEOUT_S", "30");
    Steps.FailedBoot boot = Steps.launchFailingBoot(w);
    Instance i = boot.instance();
    assertThat(boot.log()).as("the boot log names the volume").contains(w.volumeId());
    Steps.assertNoServiceStarted(i);
    assertThat(i.exec("findmnt", "/data").ok()).as("/data is not mounted").isFalse();
    assertThat(i.sh("find /data -mindepth 1 2>/dev/null | head -5").out())
        .as("nothing under /data")
        .isEmpty();
    return String.format(
        "boot failed after %.0f s naming %s; /data empty", boot.seconds(), w.volumeId());
  }
}
