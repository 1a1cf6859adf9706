package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;

/** No secret value in the journal, in any process's command line, or in a file other users can read. */
final class SecretsNotLeaked implements Scenario {
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

        String journal = i.sh("journalctl -b --no-pager -o cat | grep -cFf /run/rehearsal-secrets || true").out().strip();
        assertThat(journal).as("journal lines holding a secret").isEqualTo("0");

        String argv = i.sh("for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < \"$f\" 2>/dev/null; echo; done"
                + " | grep -cFf /run/rehearsal-secrets || true").out().strip();
        assertThat(argv).as("process command lines holding a secret").isEqualTo("0");

        String readable = i.sh("grep -rlsFf /run/rehearsal-secrets --exclude-dir=proc --exclude-dir=sys"
                + " --exclude-dir=dev / 2>/dev/null | grep -v '^/run/rehearsal-secrets$'"
                + " | while read -r f; do p=$(stat -c %a \"$f\"); case \"$p\" in *[4567]) echo \"$f $p\";; esac; done || true")
                .out().strip();
        assertThat(readable).as("world-readable files holding a secret").isEmpty();

        String holders = i.sh("grep -rlsFf /run/rehearsal-secrets --exclude-dir=proc --exclude-dir=sys"
                + " --exclude-dir=dev / 2>/dev/null | grep -v '^/run/rehearsal-secrets$' | xargs -r stat -c '%n %a %U'")
                .out().strip();
        return "no secret in journal or argv; holders: " + holders.replace("\n", ", ");
    }
}
