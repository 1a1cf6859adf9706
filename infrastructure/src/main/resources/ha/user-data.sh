#!/usr/bin/env bash
# User data of the zmanim API instances of profile ha (contract §1 in docs/architecture.md, role api).
# Runs: once per instance, at first boot, by cloud-init, as root.
# Touches: /etc/zmanim/instance.env (written atomically, mode 0644), then starts zmanim-boot.service
#   (baked into the image), which in role api attaches nothing and starts no local database: it reads
#   the database and cache endpoints below and the credentials from Secrets Manager and SSM, starts
#   the API and signals CloudFormation.
# Needs: nothing at run time. The dollar-brace placeholders below are filled by CloudFormation (Fn::Sub)
#   with non-secret identifiers only (a secret's ARN is not its value); no secret value ever appears here.
set -euo pipefail

install -d -m 0755 /etc/zmanim
tmp="$(mktemp /etc/zmanim/.instance.env.XXXXXX)"
cat >"$tmp" <<'INSTANCE_ENV'
ZMANIM_ROLE=api
ZMANIM_ENVIRONMENT=${Environment}
ZMANIM_REGION=${AWS::Region}
ZMANIM_SSM_PREFIX=${SsmPrefix}
ZMANIM_RELEASES_BUCKET=${ReleasesBucket}
ZMANIM_BACKUP_BUCKET=${BackupsBucket}
ZMANIM_STACK_NAME=${AWS::StackName}
ZMANIM_SIGNAL_RESOURCE=${SignalResource}
ZMANIM_NOTIFY_FROM=${NotifyFrom}
ZMANIM_NOTIFY_TO=${NotifyTo}
ZMANIM_METRICS_NAMESPACE=${MetricsNamespace}
ZMANIM_CW_AGENT_CONFIG_PARAM=${AgentConfigParameter}
ZMANIM_DB_HOST=${DatabaseHost}
ZMANIM_DB_PORT=${DatabasePort}
ZMANIM_DB_ADMIN_SECRET_ARN=${DatabaseSecretArn}
ZMANIM_CACHE_HOST=${CacheHost}
ZMANIM_CACHE_PORT=${CachePort}
ZMANIM_API_PORT=${ApiPort}
INSTANCE_ENV

# Every key must have a value: an empty one would make the boot logic fail later and vaguely.
if empty="$(grep -E '^[A-Z_]+=$' "$tmp")"; then
  echo "user data: empty value in instance.env: $empty" >&2
  rm -f "$tmp"
  exit 1
fi
chmod 0644 "$tmp"
mv -f "$tmp" /etc/zmanim/instance.env

# --no-block: cloud-init must finish; the boot logic signals CloudFormation itself when healthy.
systemctl start --no-block zmanim-boot.service
