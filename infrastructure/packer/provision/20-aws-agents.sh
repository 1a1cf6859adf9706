#!/usr/bin/env bash
# Provisioner (build time, as root, inside the target system): installs AWS's own packages that
# Debian does not carry: the CloudWatch agent (ships the journal and metrics, configured at boot
# from SSM) and the SSM agent (runs the release command's restarts). Only on a real image build:
# with ZMANIM_INSTALL_CLOUDWATCH_AGENT=false (the local rehearsal) it reports itself skipped.
# Touches: dpkg state, /tmp. Needs: ZMANIM_INSTALL_CLOUDWATCH_AGENT (true|false); on true, network
# access to AWS's package buckets (HTTPS). Versions are pinned below; each downloaded package must
# name that package, version and architecture in its control data. Safe to re-run: skips installed versions.
set -euo pipefail
# shellcheck source=infrastructure/packer/provision/lib.sh
. "$(dirname "$0")/lib.sh"
need_root
need_vars ZMANIM_INSTALL_CLOUDWATCH_AGENT

case "$ZMANIM_INSTALL_CLOUDWATCH_AGENT" in
  false)
    log "skipped: AWS CloudWatch agent and SSM agent (ZMANIM_INSTALL_CLOUDWATCH_AGENT=false; AWS-only packages)"
    exit 0
    ;;
  true) ;;
  *) die "ZMANIM_INSTALL_CLOUDWATCH_AGENT must be true or false, not '$ZMANIM_INSTALL_CLOUDWATCH_AGENT'" ;;
esac

# Pinned versions (AWS publishes each under a versioned path); ZMANIM_CW_AGENT_VERSION and
# ZMANIM_SSM_AGENT_VERSION override them for a build.
CW_AGENT_VERSION="${ZMANIM_CW_AGENT_VERSION:-1.300064.1b1344}"
SSM_AGENT_VERSION="${ZMANIM_SSM_AGENT_VERSION:-3.3.5390.0}"
arch="$(dpkg --print-architecture)"

# fetch_install PACKAGE VERSION URL: downloads AWS's .deb and installs it unless that version is there.
fetch_install() {
  local pkg="$1" version="$2" url="$3" have deb
  have="$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)"
  if [ -n "$have" ] && [[ "$have" == "$version"* ]]; then
    log "$pkg $have already installed"
    return 0
  fi
  deb="$(mktemp --suffix=.deb)"
  log "downloading $pkg $version from $url"
  curl -fsSL --retry 3 -o "$deb" "$url"
  # The package's own control data must name the package and version we asked for.
  [ "$(dpkg-deb -f "$deb" Package)" = "$pkg" ] || die "$url is not the $pkg package"
  [[ "$(dpkg-deb -f "$deb" Version)" == "$version"* ]] || die "$url holds $pkg $(dpkg-deb -f "$deb" Version), expected $version"
  [ "$(dpkg-deb -f "$deb" Architecture)" = "$arch" ] || die "$url is not built for $arch"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb"
  rm -f "$deb"
}

region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
if [ -z "$region" ]; then
  token="$(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)"
  region="$(curl -fsS -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/placement/region)"
fi

fetch_install amazon-cloudwatch-agent "$CW_AGENT_VERSION" \
  "https://amazoncloudwatch-agent-$region.s3.$region.amazonaws.com/debian/$arch/$CW_AGENT_VERSION/amazon-cloudwatch-agent.deb"
fetch_install amazon-ssm-agent "$SSM_AGENT_VERSION" \
  "https://s3.$region.amazonaws.com/amazon-ssm-$region/$SSM_AGENT_VERSION/debian_$arch/amazon-ssm-agent.deb"

# The CloudWatch agent starts at boot only once configured (zmanim-boot fetches its config).
systemctl disable amazon-cloudwatch-agent.service >/dev/null 2>&1 || true
log "installed: amazon-cloudwatch-agent $CW_AGENT_VERSION, amazon-ssm-agent $SSM_AGENT_VERSION"
