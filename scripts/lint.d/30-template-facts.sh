#!/usr/bin/env bash
# Lint check: reads the synthesized templates in infrastructure/cdk.out with jq and asserts the facts
# issue 2 requires to be visible there (instance type, image from SSM, volumes, EIP, IAM, IMDSv2,
# user data, imports, the group of one that waits for a signal). Runs as anyone, after
# 20-cfn-lint.sh has synthesized; reads only. Needs: jq (scripts/debian-packages.txt).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

out="$ZMANIM_ROOT/infrastructure/cdk.out"
compute="$out/ZmanimProdCompute.template.json"
[ -f "$compute" ] || "$ZMANIM_ROOT/scripts/synth.sh"
for stack in ZmanimProdNetwork ZmanimProdStorage ZmanimProdCompute ZmanimProdImagePipeline; do
  [ -s "$out/$stack.template.json" ] || die "missing $stack.template.json"
done

failures=0
# check DESCRIPTION FILE JQ-EXPRESSION: the expression must print true.
check() {
  if [ "$(jq -r "$3" "$2")" = "true" ]; then
    log "ok: $1"
  else
    log "FAILED: $1"
    failures=$((failures + 1))
  fi
}
lt='[.Resources[] | select(.Type == "AWS::EC2::LaunchTemplate")][0].Properties.LaunchTemplateData'
asg='[.Resources[] | select(.Type == "AWS::AutoScaling::AutoScalingGroup")][0]'
vol='[.Resources[] | select(.Type == "AWS::EC2::Volume")]'

check "instance type m7g.medium" "$compute" "${lt}.InstanceType == \"m7g.medium\""
# The launch template takes the id from the owner check (a custom resource asking EC2 for that id
# among the images owned by self), which reads the SSM-typed parameter.
# shellcheck disable=SC2016 # jq variables, not shell ones
owned_image='(.ImageId["Fn::GetAtt"][0]) as $c | $root.Resources[$c].Properties.Create["Fn::Join"][1] as $j
  | ([$j[] | strings] | join("") | contains("\"Owners\":[\"self\"]"))
  and ([$j[] | objects | .Ref][0] as $p | $root.Parameters[$p].Type == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
       and $root.Parameters[$p].Default == "/zmanim/prod/ami-id")'
check "image id from SSM /zmanim/prod/ami-id, launched only if owned by this account" "$compute" \
  ". as \$root | ${lt} | ${owned_image}"
check "root 10 GiB gp3 encrypted, deleted on termination" "$compute" \
  "${lt}.BlockDeviceMappings[0].Ebs == {DeleteOnTermination: true, Encrypted: true, VolumeSize: 10, VolumeType: \"gp3\"}"
check "exactly one data volume: 20 GiB gp3 3000 IOPS encrypted, DeletionPolicy not Delete" "$compute" \
  "(${vol} | length == 1) and (${vol}[0] | .Properties.Size == 20 and .Properties.VolumeType == \"gp3\" and .Properties.Iops == 3000 and .Properties.Encrypted == true and .DeletionPolicy != \"Delete\" and .DeletionPolicy != null and .UpdateReplacePolicy != \"Delete\")"
check "no volume attachment by CloudFormation" "$compute" \
  '[.Resources[] | select(.Type == "AWS::EC2::VolumeAttachment")] | length == 0'
check "one Elastic IP" "$compute" '[.Resources[] | select(.Type == "AWS::EC2::EIP")] | length == 1'
check "the instance role attaches no managed policy (its statements are written out, scoped)" "$compute" \
  '[.Resources[] | select(.Type == "AWS::IAM::Role" and (.Properties.AssumeRolePolicyDocument | tostring | contains("ec2.amazonaws.com"))) | .Properties.ManagedPolicyArns // [] | length] | add == 0'
ha="$ZMANIM_ROOT/infrastructure/cdk.out-ha"
for stack in ZmanimProdHaNetwork ZmanimProdHaData ZmanimProdHaCompute; do
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
check ">= 2 imports from the network stack" "$compute" \
  '[.. | objects | select(has("Fn::ImportValue")) | .["Fn::ImportValue"] | select(type == "string" and (test("^ZmanimProd-(AppSubnet|AppSecurityGroup|Vpc)")))] | unique | length >= 2'
check "Auto Scaling group of max size 1 whose creation and updates wait for a signal" "$compute" \
  "${asg} | .Properties.MaxSize == \"1\" and .UpdatePolicy.AutoScalingRollingUpdate.WaitOnResourceSignals == true and .UpdatePolicy.AutoScalingRollingUpdate.MinInstancesInService == 0 and .CreationPolicy.ResourceSignal.Count == 1"

storage="$out/ZmanimProdStorage.template.json"
check "a bucket locks its object versions in Object Lock compliance mode" "$storage" \
  '[.Resources[] | select(.Type == "AWS::S3::Bucket") | .Properties.ObjectLockConfiguration.Rule.DefaultRetention.Mode] | index("COMPLIANCE") != null'
check "a bucket policy denies changing its protection to everyone but a named role" "$storage" \
  '[.Resources[] | select(.Type == "AWS::S3::BucketPolicy") | .Properties.PolicyDocument.Statement[] | select(.Effect == "Deny" and (.Action | index("s3:PutBucketPolicy")) != null and .Condition.ArnNotEquals["aws:PrincipalArn"] != null)] | length == 1'
check "Data Lifecycle Manager snapshots the data volume daily" "$compute" \
  '[.Resources[] | select(.Type == "AWS::DLM::LifecyclePolicy") | .Properties.PolicyDetails.Schedules[].CreateRule.Interval] == [24]'

# Profile ha (contract §1, role api; ADR 0014).
hac="$ha/ZmanimProdHaCompute.template.json"
had="$ha/ZmanimProdHaData.template.json"
han="$ha/ZmanimProdHaNetwork.template.json"
check "ha: Aurora PostgreSQL 17, encrypted, PITR backups, deletion protection, RDS-managed password" "$had" \
  '[.Resources[] | select(.Type == "AWS::RDS::DBCluster") | .Properties | select(.Engine == "aurora-postgresql" and (.EngineVersion | startswith("17.")) and .StorageEncrypted == true and .BackupRetentionPeriod >= 1 and .DeletionProtection == true and .ManageMasterUserPassword == true and (has("MasterUserPassword") | not))] | length == 1'
check "ha: ElastiCache Multi-AZ with TLS required, encryption at rest and AUTH from SSM" "$had" \
  '[.Resources[] | select(.Type == "AWS::ElastiCache::ReplicationGroup") | .Properties | select(.MultiAZEnabled == true and .AutomaticFailoverEnabled == true and .TransitEncryptionMode == "required" and .AtRestEncryptionEnabled == true and (.AuthToken | startswith("{{resolve:ssm-secure:")))] | length == 1'
check "ha: no ingress from an address range; the load balancer's port admits CloudFront's prefix list" "$han" \
  '([.Resources[] | select(.Type == "AWS::EC2::SecurityGroupIngress") | .Properties | select(has("CidrIp") or has("CidrIpv6"))] + [.Resources[] | select(.Type == "AWS::EC2::SecurityGroup") | .Properties.SecurityGroupIngress // [] | .[] | select(has("CidrIp") or has("CidrIpv6"))] | length == 0) and ([.Resources[] | select(.Type == "AWS::EC2::SecurityGroupIngress") | .Properties | select(.FromPort == 80 and has("SourcePrefixListId"))] | length == 1)'
check "ha: >= 2 instances over 2 subnets, rolling update keeping >= 1 in service, waiting for signals" "$hac" \
  "${asg} | (.Properties.MinSize | tonumber) >= 2 and (.Properties.VPCZoneIdentifier | length) >= 2 and .Properties.HealthCheckType == \"ELB\" and .UpdatePolicy.AutoScalingRollingUpdate.MinInstancesInService >= 1 and .UpdatePolicy.AutoScalingRollingUpdate.WaitOnResourceSignals == true"

[ "$failures" -eq 0 ] || die "$failures template facts failed"
