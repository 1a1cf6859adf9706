package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.nio.file.Files;
import java.time.Duration;

/** The volume holds ext4 with a file on it: refused, nothing formatted, the file still there. */
final class ForeignFilesystem implements Scenario {
  @Override
  public String name() {
    return "foreign-filesystem";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    String dev = w.volume().device();
    Cmd.ok(Duration.ofMinutes(1), "mkfs.ext4", "-q", "-L", "someone-else", dev);
    String uuid = Steps.blkid(w, "UUID");
    Steps.changeOnHostVolume(
        w, mnt -> Files.writeString(mnt.resolve("precious.txt"), "not yours\n"));

    Steps.FailedBoot boot = Steps.launchFailingBoot(w);
    assertThat(boot.log()).as("the boot log says what it found").containsIgnoringCase("ext4");
    Steps.assertNoServiceStarted(boot.instance());
    w.terminate(boot.instance());

    assertThat(Steps.blkid(w, "TYPE")).isEqualTo("ext4");
    assertThat(Steps.blkid(w, "UUID")).as("not reformatted").isEqualTo(uuid);
    String content = Steps.onHostVolume(w, mnt -> Files.readString(mnt.resolve("precious.txt")));
    assertThat(content).as("the file on it").isEqualTo("not yours\n");
    return "ext4 refused; same UUID, file intact";
  }
}
