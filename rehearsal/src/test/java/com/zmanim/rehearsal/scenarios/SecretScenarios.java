package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;

/**
 * A required secret missing or empty in SSM: the boot fails naming it; nothing starts; the volume
 * is untouched.
 */
final class SecretScenarios {
  private SecretScenarios() {}

  private abstract static class Base implements Scenario {
    abstract String secret();

    abstract void spoil(World w);

    @Override
    public String run(World w, Results results) throws Exception {
      spoil(w);
      Steps.FailedBoot boot = Steps.launchFailingBoot(w);
      assertThat(boot.log()).as("the boot log names the parameter").contains(w.ssmName(secret()));
      Steps.assertNoServiceStarted(boot.instance());
      assertThat(boot.instance().healthStatus()).isEqualTo(-1);
      assertThat(Steps.blkid(w, "TYPE")).as("the volume holds no filesystem (untouched)").isEmpty();
      return "boot failed naming " + w.ssmName(secret()) + "; no service started; volume blank";
    }
  }

  /** {@code redis-password} absent from SSM. */
  static final class Missing extends Base {
    @Override
    public String name() {
      return "missing-secret";
    }

    @Override
    String secret() {
      return "redis-password";
    }

    @Override
    void spoil(World w) {
      w.secrets().put(secret(), null);
    }
  }

  /** {@code postgres-password} present but blank. */
  static final class Empty extends Base {
    @Override
    public String name() {
      return "empty-secret";
    }

    @Override
    String secret() {
      return "postgres-password";
    }

    @Override
    void spoil(World w) {
      // SSM refuses a zero-length value; whitespace is the empty secret an operator can actually
      // store.
      w.secrets().put(secret(), " ");
    }
  }
}
