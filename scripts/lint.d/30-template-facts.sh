#!/usr/bin/env bash
# Lint check: reads the synthesized templates in infrastructure/cdk.out with jq and asserts the facts
# the platform promises to be visible there (instance type, image from SSM, volumes, EIP, IAM, IMDSv2,
# user data, imports, the group of one that waits for a signal). Sizes, types and names are the ones
# the configuration gives (cdk.out/zmanim-names.json, written by the same synth), never copies of
# the defaults, so a legitimate cdk.json override passes. Runs as anyone, after 20-cfn-lint.sh has
# synthesized; reads only. Needs: jq (scripts/debian-packages.txt).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

out="$ZMANIM_ROOT/infrastructure/cdk.out"
[ -s "$out/zmanim-names.json" ] || "$ZMANIM_ROOT/scripts/synth.sh"
names="$(cat "$out/zmanim-names.json")"
mapfile -t stacks < <(zmanim_name stackNames "$out/zmanim-names.json")
for stack in "${stacks[@]}"; do
  [ -s "$out/$stack.template.json" ] || die "missing $stack.template.json"
done
compute="$out/$(zmanim_name stacks.Compute "$out/zmanim-names.json").template.json"
storage="$out/$(zmanim_name stacks.Storage "$out/zmanim-names.json").template.json"

failures=0
# check DESCRIPTION FILE JQ-EXPRESSION: the expression must print true; $n is the names file
# ($n.config: the configuration's values).
check() {
  if [ "$(jq -r --argjson n "$names" "$3" "$2")" = "true" ]; then
    log "ok: $1"
  else
    log "FAILED: $1"
    failures=$((failures + 1))
  fi
}
lt='[.Resources[] | select(.Type == "AWS::EC2::LaunchTemplate")][0].Properties.LaunchTemplateData'
asg='[.Resources[] | select(.Type == "AWS::AutoScaling::AutoScalingGroup")][0]'
vol='[.Resources[] | select(.Type == "AWS::EC2::Volume")]'

# shellcheck disable=SC2016 # jq variables, not shell ones
check "instance type as configured" "$compute" "${lt}"'.InstanceType == $n.config.instanceType'
# The launch template takes the id from the owner check (a custom resource asking EC2 for that id
# among the images owned by self), which reads the SSM-typed parameter.
# shellcheck disable=SC2016 # jq variables, not shell ones
owned_image='(.ImageId["Fn::GetAtt"][0]) as $c | $root.Resources[$c].Properties.Create["Fn::Join"][1] as $j
  | ([$j[] | strings] | join("") | contains("\"Owners\":[\"self\"]"))
  and ([$j[] | objects | .Ref][0] as $p | $root.Parameters[$p].Type == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
       and $root.Parameters[$p].Default == $n.amiIdParameter)'
check "image id from SSM <ssmPrefix>/ami-id, launched only if owned by this account" "$compute" \
  ". as \$root | ${lt} | ${owned_image}"
# shellcheck disable=SC2016 # jq variables, not shell ones
check "root volume of the configured size, gp3 encrypted, deleted on termination" "$compute" \
  "${lt}"'.BlockDeviceMappings[0].Ebs == {DeleteOnTermination: true, Encrypted: true, VolumeSize: $n.config.rootVolumeGib, VolumeType: "gp3"}'
# shellcheck disable=SC2016 # jq variables, not shell ones
check "exactly one data volume of the configured size and IOPS, gp3 encrypted, DeletionPolicy not Delete" "$compute" \
  "(${vol} | length == 1) and (${vol}[0]"' | .Properties.Size == $n.config.dataVolumeGib and .Properties.VolumeType == "gp3" and .Properties.Iops == $n.config.dataVolumeIops and .Properties.Encrypted == true and .DeletionPolicy != "Delete" and .DeletionPolicy != null and .UpdateReplacePolicy != "Delete")'
check "no volume attachment by CloudFormation" "$compute" \
  '[.Resources[] | select(.Type == "AWS::EC2::VolumeAttachment")] | length == 0'
check "one Elastic IP" "$compute" '[.Resources[] | select(.Type == "AWS::EC2::EIP")] | length == 1'
check "the instance role attaches no managed policy (its statements are written out, scoped)" "$compute" \
  '[.Resources[] | select(.Type == "AWS::IAM::Role" and (.Properties.AssumeRolePolicyDocument | tostring | contains("ec2.amazonaws.com"))) | .Properties.ManagedPolicyArns // [] | length] | add == 0'
ha="$ZMANIM_ROOT/infrastructure/cdk.out-ha"
[ -s "$ha/zmanim-names.json" ] || die "missing cdk.out-ha/zmanim-names.json (20-cfn-lint synthesizes the ha profile)"
mapfile -t ha_stacks < <(zmanim_name stackNames "$ha/zmanim-names.json")
for stack in "${ha_stacks[@]}"; do
  [ -s "$ha/$stack.template.json" ] || die "missing cdk.out-ha/$stack.template.json (20-cfn-lint synthesizes the ha profile)"
done
for t in "$out"/*.template.json "$ha"/*.template.json; do
  # Allow statements only: the buckets' TLS-only policy rightly denies "s3:*".
  check "no IAM Action * or service:* allowed in ${t##*/}" "$t" \
    '[.. | objects | select(has("Action") and has("Effect") and .Effect == "Allow") | .Action | if type == "array" then .[] else . end | select(type == "string") | select(. == "*" or endswith(":*"))] | length == 0'
done
check "no s3:DeleteObjectVersion and no change of the buckets' protection allowed" "$compute" \
  '[.. | objects | select(has("Action") and .Effect == "Allow") | .Action | if type == "array" then .[] else . end | select(. == "s3:DeleteObjectVersion" or . == "s3:PutBucketVersioning" or . == "s3:PutLifecycleConfiguration" or . == "s3:PutBucketPolicy" or . == "s3:DeleteBucketPolicy" or . == "s3:PutBucketObjectLockConfiguration" or . == "s3:BypassGovernanceRetention")] | length == 0'
check "IMDSv2 required" "$compute" "${lt}.MetadataOptions.HttpTokens == \"required\""
check "base64 user data" "$compute" "${lt}.UserData | has(\"Fn::Base64\")"
# shellcheck disable=SC2016 # jq variables, not shell ones
check ">= 2 imports from the network stack" "$compute" \
  '[.. | objects | select(has("Fn::ImportValue")) | .["Fn::ImportValue"] | select(type == "string" and startswith($n.exportPrefix) and (.[($n.exportPrefix | length):] | test("^(AppSubnet|AppSecurityGroup|Vpc)")))] | unique | length >= 2'
check "Auto Scaling group of max size 1 whose creation and updates wait for a signal" "$compute" \
  "${asg} | .Properties.MaxSize == \"1\" and .UpdatePolicy.AutoScalingRollingUpdate.WaitOnResourceSignals == true and .UpdatePolicy.AutoScalingRollingUpdate.MinInstancesInService == 0 and .CreationPolicy.ResourceSignal.Count == 1"

check "a bucket locks its object versions in Object Lock compliance mode" "$storage" \
  '[.Resources[] | select(.Type == "AWS::S3::Bucket") | .Properties.ObjectLockConfiguration.Rule.DefaultRetention.Mode] | index("COMPLIANCE") != null'
check "a bucket policy denies changing its protection to everyone but a named role" "$storage" \
  '[.Resources[] | select(.Type == "AWS::S3::BucketPolicy") | .Properties.PolicyDocument.Statement[] | select(.Effect == "Deny" and (.Action | index("s3:PutBucketPolicy")) != null and .Condition.ArnNotEquals["aws:PrincipalArn"] != null)] | length == 1'
check "Data Lifecycle Manager snapshots the data volume daily" "$compute" \
  '[.Resources[] | select(.Type == "AWS::DLM::LifecyclePolicy") | .Properties.PolicyDetails.Schedules[].CreateRule.Interval] == [24]'

# Profile ha (contract §1, role api; ADR 0014).
hac="$ha/$(zmanim_name stacks.HaCompute "$ha/zmanim-names.json").template.json"
had="$ha/$(zmanim_name stacks.HaData "$ha/zmanim-names.json").template.json"
han="$ha/$(zmanim_name stacks.HaNetwork "$ha/zmanim-names.json").template.json"
check "ha: Aurora PostgreSQL 17, encrypted, PITR backups, deletion protection, RDS-managed password" "$had" \
  '[.Resources[] | select(.Type == "AWS::RDS::DBCluster") | .Properties | select(.Engine == "aurora-postgresql" and (.EngineVersion | startswith("17.")) and .StorageEncrypted == true and .BackupRetentionPeriod >= 1 and .DeletionProtection == true and .ManageMasterUserPassword == true and (has("MasterUserPassword") | not))] | length == 1'
check "ha: ElastiCache Multi-AZ with TLS required, encryption at rest and AUTH from SSM" "$had" \
  '[.Resources[] | select(.Type == "AWS::ElastiCache::ReplicationGroup") | .Properties | select(.MultiAZEnabled == true and .AutomaticFailoverEnabled == true and .TransitEncryptionMode == "required" and .AtRestEncryptionEnabled == true and (.AuthToken | startswith("{{resolve:ssm-secure:")))] | length == 1'
check "ha: no ingress from an address range; the load balancer's port admits CloudFront's prefix list" "$han" \
  '([.Resources[] | select(.Type == "AWS::EC2::SecurityGroupIngress") | .Properties | select(has("CidrIp") or has("CidrIpv6"))] + [.Resources[] | select(.Type == "AWS::EC2::SecurityGroup") | .Properties.SecurityGroupIngress // [] | .[] | select(has("CidrIp") or has("CidrIpv6"))] | length == 0) and ([.Resources[] | select(.Type == "AWS::EC2::SecurityGroupIngress") | .Properties | select(.FromPort == 80 and has("SourcePrefixListId"))] | length == 1)'
check "ha: >= 2 instances over 2 subnets, rolling update keeping >= 1 in service, waiting for signals" "$hac" \
  "${asg} | (.Properties.MinSize | tonumber) >= 2 and (.Properties.VPCZoneIdentifier | length) >= 2 and .Properties.HealthCheckType == \"ELB\" and .UpdatePolicy.AutoScalingRollingUpdate.MinInstancesInService >= 1 and .UpdatePolicy.AutoScalingRollingUpdate.WaitOnResourceSignals == true"

[ "$failures" -eq 0 ] || die "$failures template facts failed"
