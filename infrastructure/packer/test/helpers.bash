# shellcheck shell=bash
# Shared set-up of the bats cases: the on-instance scripts are sourced from the repository's mirror
# of the image (files/), so the cases test the very files the image ships. Sourcing runs nothing.
FILES="$(cd "$BATS_TEST_DIRNAME/../files" && pwd)"
export FILES

# The scripts log to the journal through logger; in a test, their messages go to stderr (captured
# by `run`) and never into this machine's log.
logger() { return 1; }

# source_boot: defines zmanim-boot's functions and settings without running it.
source_boot() {
  # shellcheck source=infrastructure/packer/files/usr/local/sbin/zmanim-boot
  . "$FILES/usr/local/sbin/zmanim-boot"
  # bats' own code expects unset variables to be allowed.
  set +u
}

# source_common: the on-instance library alone.
source_common() {
  # shellcheck source=infrastructure/packer/files/usr/local/lib/zmanim/common.sh
  . "$FILES/usr/local/lib/zmanim/common.sh"
}
