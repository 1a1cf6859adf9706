#!/usr/bin/env bash
# The rehearsal's entry point (make rehearse / rehearse-up / rehearse-down): builds the API jar and
# synthesizes the CDK app, both profiles (the image bakes the one, the instances run the others' user data), then
#   run   runs the scenarios (REHEARSAL_CASE=<prefix> selects some) through Maven Surefire;
#   up    boots one instance in the background and prints its API URL once /health answers;
#   down  stops that instance and removes everything it made.
# Runs as root (loop devices, mounts, systemd-nspawn). Touches: rehearsal/out/, the image cache
# (/var/cache/zmanim-rehearsal), scratch space (/var/tmp/zmanim-rehearsal), bridges zr-run/zr-up.
# Needs: what `make setup` installs. REHEARSAL_SKIP=1 skips the rehearsal with a message (an explicit
# opt-out for machines without root/loop/nspawn; CI never sets it).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

action="${1:?usage: rehearse.sh run|up|down}"
cd "$ZMANIM_ROOT"
mvnw=(./mvnw -B -q -Dstyle.color=never)
out="$ZMANIM_ROOT/rehearsal/out"
up_dir="$out/rehearse-up" # control files; the instance's logs are in $out/up

if [ "${REHEARSAL_SKIP:-}" = 1 ]; then
  log "REHEARSAL_SKIP=1: the rehearsal is SKIPPED (nothing was booted or proven)"
  exit 0
fi
need_root "the rehearsal"

build_inputs() {
  log "building the API jar and the rehearsal harness"
  # The API module is built from clean: a stale resource in api/target (a migration deleted from the
  # sources) would be baked into the image.
  "${mvnw[@]}" -pl api clean
  "${mvnw[@]}" -pl api,rehearsal -am package -DskipTests
  [ -f api/target/zmanim-api.jar ] || die "api/target/zmanim-api.jar was not built"
  if [ -x scripts/synth.sh ]; then
    scripts/synth.sh
    # Profile ha too (ha-api-only runs its API instances' user data), beside the default.
    if [ "$action" = run ]; then
      CDK_CONTEXT_JSON='{"profile":"ha"}' ZMANIM_SYNTH_OUT="$ZMANIM_ROOT/infrastructure/cdk.out-ha" scripts/synth.sh
    fi
  fi
  [ -f "infrastructure/cdk.out/$(zmanim_name computeStack)".template.json ] \
    || die "the compute stack's template is missing in infrastructure/cdk.out: the CDK app must synthesize it (make synth)"
}

classpath() {
  echo "rehearsal/target/classes:$(cat rehearsal/target/classpath.txt)"
}

case "$action" in
  run)
    build_inputs
    log "running the scenarios${REHEARSAL_CASE:+ starting with \"$REHEARSAL_CASE\"}"
    results="$ZMANIM_ROOT/rehearsal/out/results.json"
    started="$(date +%s)"
    rc=0
    "${mvnw[@]}" -pl rehearsal surefire:test \
      -Drehearsal.include='**/scenarios/ScenarioSuite.java' -Drehearsal.exclude=none \
      -DtrimStackTrace=true || rc=$?
    # One closing line that counts the scenarios of this run (results.json written by this run only).
    if [ -f "$results" ] && [ "$(stat -c %Y "$results")" -ge "$started" ]; then
      jq -r '"rehearsal: \([.scenarios[] | select(.passed)] | length) passed, \([.scenarios[] | select(.passed | not)] | length) failed"' "$results"
    else
      log "no results from this run ($results was not written)"
      [ "$rc" -ne 0 ] || rc=1
    fi
    exit "$rc"
    ;;
  up)
    if [ -f "$up_dir/pid" ] && kill -0 "$(cat "$up_dir/pid")" 2>/dev/null; then
      die "an instance is already up ($(cat "$up_dir/api-url" 2>/dev/null || echo starting)); make rehearse-down first"
    fi
    build_inputs
    mkdir -p "$up_dir"
    rm -f "$up_dir/api-url"
    java_bin="$JAVA_HOME/bin/java"
    nohup "$java_bin" -Drehearsal.root="$ZMANIM_ROOT" -cp "$(classpath)" com.zmanim.rehearsal.Up \
      >"$up_dir/harness.log" 2>&1 </dev/null &
    echo $! >"$up_dir/pid"
    log "booting (harness pid $(cat "$up_dir/pid"), log $up_dir/harness.log)"
    for _ in $(seq 1 600); do
      if [ -s "$up_dir/api-url" ]; then
        cat "$up_dir/harness.log"
        echo "API: $(cat "$up_dir/api-url")   (make rehearse-down stops it)"
        exit 0
      fi
      kill -0 "$(cat "$up_dir/pid")" 2>/dev/null || {
        cat "$up_dir/harness.log"
        die "rehearse-up failed"
      }
      sleep 1
    done
    die "the instance did not become healthy in 10 minutes; see $up_dir/harness.log (make rehearse-down cleans up)"
    ;;
  down)
    if [ -f "$up_dir/pid" ]; then
      pid="$(cat "$up_dir/pid")"
      if kill -0 "$pid" 2>/dev/null; then
        log "stopping the rehearse-up harness (pid $pid)"
        kill -TERM "$pid"
        for _ in $(seq 1 120); do
          kill -0 "$pid" 2>/dev/null || break
          sleep 1
        done
        kill -0 "$pid" 2>/dev/null && die "harness pid $pid did not stop in 2 minutes"
      fi
      rm -f "$up_dir/pid" "$up_dir/api-url"
    fi
    if [ -f rehearsal/target/classpath.txt ]; then
      "$JAVA_HOME/bin/java" -Drehearsal.root="$ZMANIM_ROOT" -cp "$(classpath)" com.zmanim.rehearsal.Up --sweep
    fi
    log "rehearse-up instance stopped; nothing left running or mounted"
    ;;
  *) die "unknown action $action (run, up or down)" ;;
esac
