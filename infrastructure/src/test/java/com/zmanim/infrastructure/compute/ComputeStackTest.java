package com.zmanim.infrastructure.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.ContractKeys;
import com.zmanim.infrastructure.support.Iam;
import com.zmanim.infrastructure.support.Synth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The compute stack of the default configuration, synthesized once: the single instance and its
 * safe replacement.
 */
class ComputeStackTest {

  private static final String GROUP = "zmanim-prod-app";
  private static ComputeStack stack;
  private static Template template;
  private static String json;

  @BeforeAll
  static void synth() throws IOException {
    stack = Synth.stack("Compute", ZmanimConfig.defaults(), ComputeStack::new);
    template = Synth.template(stack);
    json = new ObjectMapper().writeValueAsString(template.toJSON());
  }

  // --- m7g.medium from the Packer AMI -------------------------------------------------------

  @Test
  void theInstanceIsAnM7gMediumFromALaunchTemplate() {
    template.hasResourceProperties(
        "AWS::EC2::LaunchTemplate",
        Match.objectLike(
            Map.of("LaunchTemplateData", Match.objectLike(Map.of("InstanceType", "m7g.medium")))));
    template.resourceCountIs("AWS::EC2::Instance", 0);
  }

  @Test
  void theImageIdIsReadFromSsmAmiIdAtEveryDeployAndLaunchedOnlyIfThisAccountOwnsIt() {
    String param = parameterWithDefault("/zmanim/prod/ami-id");
    template.hasParameter(
        param,
        Match.objectLike(
            Map.of(
                "Type",
                "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                "Default",
                "/zmanim/prod/ami-id")));
    Map<String, Map<String, Object>> checks = Synth.resources(template, "Custom::AWS");
    assertThat(checks).hasSize(1);
    String check = checks.keySet().iterator().next();
    String create = checks.get(check).get("Properties").toString();
    assertThat(create)
        .contains("describeImages")
        .contains("\"Owners\":[\"self\"]")
        .contains("Ref=" + param);
    template.hasResourceProperties(
        "AWS::EC2::LaunchTemplate",
        Match.objectLike(
            Map.of(
                "LaunchTemplateData",
                Match.objectLike(
                    Map.of("ImageId", Map.of("Fn::GetAtt", List.of(check, "Images.0.ImageId")))))));
  }

  @Test
  void theAmiParameterIsNotMarkedSkippableSoCdkDeployAlwaysReResolvesIt() {
    // The CDK CLI skips a deploy with an unchanged template unless an SSM parameter could have
    // changed; a description containing "[cdk:skip]" would turn that off.
    @SuppressWarnings("unchecked")
    Map<String, Object> param =
        (Map<String, Object>)
            template
                .findParameters(parameterWithDefault("/zmanim/prod/ami-id"))
                .values()
                .iterator()
                .next();
    assertThat(String.valueOf(param.get("Description"))).doesNotContain("[cdk:skip]");
  }

  // --- root volume --------------------------------------------------------------------------

  @Test
  void theRootVolumeIs10GibGp3EncryptedAndDeletedWithTheInstance() {
    template.hasResourceProperties(
        "AWS::EC2::LaunchTemplate",
        Match.objectLike(
            Map.of(
                "LaunchTemplateData",
                Match.objectLike(
                    Map.of(
                        "BlockDeviceMappings",
                        List.of(
                            Map.of(
                                "DeviceName",
                                "/dev/xvda",
                                "Ebs",
                                Map.of(
                                    "VolumeSize",
                                    10,
                                    "VolumeType",
                                    "gp3",
                                    "Encrypted",
                                    true,
                                    "DeleteOnTermination",
                                    true))))))));
  }

  // --- the persistent data volume -----------------------------------------------------------

  @Test
  void thereIsExactlyOneDataVolume20GibGp3With3000IopsAnd125MibsEncryptedInTheSubnetsAz() {
    template.resourceCountIs("AWS::EC2::Volume", 1);
    template.hasResourceProperties(
        "AWS::EC2::Volume",
        Match.objectLike(
            Map.of(
                "Size",
                20,
                "VolumeType",
                "gp3",
                "Iops",
                3000,
                "Throughput",
                125,
                "Encrypted",
                true,
                "AvailabilityZone",
                Map.of("Fn::ImportValue", "ZmanimProd-AppSubnetAz"))));
  }

  @Test
  void theFirstVolumeGenerationKeepsTheLogicalIdOfTheOriginalVolume() {
    // Construct id "Data": a deployed stack's volume must never be replaced by a refactoring.
    assertThat(dataVolume()).isEqualTo("DataVolume84F27F95");
    template.hasResourceProperties(
        "AWS::EC2::Volume",
        Match.objectLike(
            Map.of(
                "Tags",
                Match.arrayWith(List.of(Map.of("Key", "Name", "Value", "zmanim-prod-data"))))));
  }

  @Test
  void theDataVolumeIsRetainedWhenDeletedOrReplacedNeverDeleted() {
    template.hasResource(
        "AWS::EC2::Volume",
        Match.objectLike(Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain")));
  }

  @Test
  void dataLifecycleManagerSnapshotsTheTaggedDataVolumeDailyAndKeepsThePitrWindow() {
    template.hasResourceProperties(
        "AWS::EC2::Volume",
        Match.objectLike(
            Map.of(
                "Tags",
                Match.arrayWith(
                    List.of(
                        Map.of("Key", "zmanim:daily-snapshot", "Value", "zmanim-prod-data"))))));
    template.hasResourceProperties(
        "AWS::DLM::LifecyclePolicy",
        Match.objectLike(
            Map.of(
                "State",
                "ENABLED",
                "PolicyDetails",
                Match.objectLike(
                    Map.of(
                        "ResourceTypes", List.of("VOLUME"),
                        "TargetTags",
                            List.of(
                                Map.of(
                                    "Key", "zmanim:daily-snapshot", "Value", "zmanim-prod-data")),
                        "Schedules",
                            List.of(
                                Match.objectLike(
                                    Map.of(
                                        "CopyTags", true,
                                        "CreateRule",
                                            Map.of(
                                                "Interval",
                                                24,
                                                "IntervalUnit",
                                                "HOURS",
                                                "Times",
                                                List.of("04:00")),
                                        "RetainRule",
                                            Map.of("Interval", 14, "IntervalUnit", "DAYS")))))))));
  }

  @Test
  void dataLifecycleManagerMayDeleteOnlyTheSnapshotsItTagged() {
    Map<String, Object> s = Iam.statement(template, "DeleteOwnSnapshots");
    assertThat(Iam.actions(s)).containsExactly("ec2:DeleteSnapshot");
    assertThat(s.get("Condition"))
        .isEqualTo(
            Map.of(
                "StringEquals",
                Map.of("ec2:ResourceTag/zmanim:daily-snapshot", "zmanim-prod-data")));
    assertThat(Iam.statementsOfRoleAssumedBy(template, "dlm.amazonaws.com")).contains(s);
  }

  @Test
  void theInstanceRoleHasNoSnapshotPermissionAtAll() {
    assertThat(instanceStatements().stream().flatMap(st -> Iam.actions(st).stream()))
        .noneMatch(a -> a.toLowerCase().contains("snapshot") || a.startsWith("dlm:"));
  }

  @Test
  void cloudFormationNeverAttachesTheVolumeTheBootLogicDoes() {
    template.resourceCountIs("AWS::EC2::VolumeAttachment", 0);
  }

  // --- the Elastic IP -----------------------------------------------------------------------

  @Test
  void thereIsOneElasticIpAssociatedByTheBootLogicNotByCloudFormation() {
    template.resourceCountIs("AWS::EC2::EIP", 1);
    template.hasResource(
        "AWS::EC2::EIP",
        Match.objectLike(
            Map.of(
                "Properties",
                Match.objectLike(Map.of("Domain", "vpc")),
                "DeletionPolicy",
                "Retain")));
    template.resourceCountIs("AWS::EC2::EIPAssociation", 0);
  }

  @Test
  void theElasticIpsAddressIsExportedForCloudFrontsOrigin() {
    template.hasOutput(
        "ElasticIp",
        Match.objectLike(
            Map.of(
                "Value", Map.of("Fn::GetAtt", List.of(eip(), "PublicIp")),
                "Export", Map.of("Name", "ZmanimProd-ElasticIp"))));
  }

  // --- Safe replacement --------------------------------------------------------------------------

  @Test
  void theAutoScalingGroupIsExactlyOneInstanceInTheImportedSubnet() {
    template.resourceCountIs("AWS::AutoScaling::AutoScalingGroup", 1);
    template.hasResourceProperties(
        "AWS::AutoScaling::AutoScalingGroup",
        Match.objectLike(
            Map.of(
                "MinSize",
                "1",
                "MaxSize",
                "1",
                "DesiredCapacity",
                "1",
                "AutoScalingGroupName",
                GROUP,
                "VPCZoneIdentifier",
                List.of(Map.of("Fn::ImportValue", "ZmanimProd-AppSubnetId")))));
  }

  @Test
  void anUpdateTerminatesTheOldInstanceFirstAndWaitsForTheNewOnesSignal() {
    template.hasResource(
        "AWS::AutoScaling::AutoScalingGroup",
        Match.objectLike(
            Map.of(
                "UpdatePolicy",
                Match.objectLike(
                    Map.of(
                        "AutoScalingRollingUpdate",
                        Match.objectLike(
                            Map.of(
                                "MinInstancesInService",
                                0,
                                "MaxBatchSize",
                                1,
                                "WaitOnResourceSignals",
                                true,
                                "PauseTime",
                                "PT20M",
                                "SuspendProcesses",
                                Match.arrayWith(
                                    List.of(
                                        "HealthCheck", "ReplaceUnhealthy", "AZRebalance")))))))));
  }

  @Test
  void creationWaitsForOneSuccessSignalFromTheBootLogic() {
    template.hasResource(
        "AWS::AutoScaling::AutoScalingGroup",
        Match.objectLike(
            Map.of(
                "CreationPolicy",
                Map.of("ResourceSignal", Map.of("Count", 1, "Timeout", "PT20M")))));
  }

  @Test
  void theGroupKeepsTheLogicalIdTheUserDataNamesForTheSignal() {
    assertThat(Synth.resources(template, "AWS::AutoScaling::AutoScalingGroup"))
        .containsOnlyKeys(ComputeStack.SIGNAL_RESOURCE);
    assertThat(userDataTemplate()).contains("ZMANIM_SIGNAL_RESOURCE=${SignalResource}");
    assertThat(userDataVariables()).containsEntry("SignalResource", ComputeStack.SIGNAL_RESOURCE);
  }

  @Test
  void aDeadInstanceIsReplacedByTheGroupOnEc2HealthChecks() {
    template.hasResourceProperties(
        "AWS::AutoScaling::AutoScalingGroup",
        Match.objectLike(Map.of("HealthCheckType", "EC2", "HealthCheckGracePeriod", 1200)));
  }

  @Test
  void theInstanceHasAPublicAddressAtLaunchToReachTheEc2ApiBeforeTakingTheEip() {
    template.hasResourceProperties(
        "AWS::EC2::LaunchTemplate",
        Match.objectLike(
            Map.of(
                "LaunchTemplateData",
                Match.objectLike(
                    Map.of(
                        "NetworkInterfaces",
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "AssociatePublicIpAddress",
                                    true,
                                    "DeviceIndex",
                                    0,
                                    "Groups",
                                    List.of(
                                        Map.of(
                                            "Fn::ImportValue",
                                            "ZmanimProd-AppSecurityGroupId"))))))))));
  }

  // --- IMDSv2, no key pair -----------------------------------------------------------------------

  @Test
  void imdsV2IsRequiredWithAHopLimitOfOne() {
    template.hasResourceProperties(
        "AWS::EC2::LaunchTemplate",
        Match.objectLike(
            Map.of(
                "LaunchTemplateData",
                Match.objectLike(
                    Map.of(
                        "MetadataOptions",
                        Map.of(
                            "HttpTokens",
                            "required",
                            "HttpPutResponseHopLimit",
                            1,
                            "HttpEndpoint",
                            "enabled"))))));
  }

  @Test
  void noKeyPairIsEverConfigured() {
    template.hasResourceProperties(
        "AWS::EC2::LaunchTemplate",
        Match.objectLike(
            Map.of("LaunchTemplateData", Match.objectLike(Map.of("KeyName", Match.absent())))));
    template.resourceCountIs("AWS::EC2::KeyPair", 0);
  }

  // --- user data (contract §1) --------------------------------------------------------------

  @Test
  void userDataIsBase64OfTheResourceFileRenderedWithFnSub() {
    assertThat(userDataTemplate())
        .isEqualTo(com.zmanim.infrastructure.config.ResourceText.read(BootUserData.RESOURCE));
  }

  @Test
  void userDataWritesEveryKeyOfContract1AndNothingElse() {
    assertThat(ContractKeys.written(userDataTemplate()))
        .isNotEmpty()
        .isEqualTo(ContractKeys.documented(1));
  }

  @Test
  void userDataPassesTheRecoverySettingsOfTheConfiguration() {
    assertThat(userDataTemplate())
        .contains("ZMANIM_BLANK_VOLUME=${BlankVolume}")
        .contains("ZMANIM_PITR_RETENTION_DAYS=${PitrRetentionDays}")
        .contains("ZMANIM_ARCHIVE_TIMEOUT_S=${ArchiveTimeoutSeconds}");
    assertThat(userDataVariables())
        .containsEntry("BlankVolume", "initialise")
        .containsEntry("PitrRetentionDays", "14")
        .containsEntry("ArchiveTimeoutSeconds", "30");
  }

  @Test
  void userDataPassesTheConfiguredApiPortTheSecurityGroupOpens() {
    assertThat(userDataTemplate()).contains("ZMANIM_API_PORT=${ApiPort}");
    assertThat(userDataVariables())
        .containsEntry("ApiPort", Integer.toString(ZmanimConfig.defaults().apiPort()));
  }

  @Test
  void userDataHandsOverToTheBootServiceWithoutBlocking() {
    assertThat(userDataTemplate()).contains("systemctl start --no-block zmanim-boot.service");
    assertThat(userDataTemplate()).contains("/etc/zmanim/instance.env");
  }

  @Test
  void userDataCarriesIdentifiersOnlyNeverASecretOrASecretReference() {
    String code =
        userDataTemplate().lines().filter(l -> !l.startsWith("#")).reduce("", String::concat);
    String all = code + userDataVariables();
    assertThat(all.toLowerCase())
        .doesNotContain("password")
        .doesNotContain("secret")
        .doesNotContain("{{resolve:")
        .doesNotContain("with-decryption");
    assertThat(userDataVariables())
        .containsEntry("DataVolumeId", Map.of("Ref", dataVolume()))
        .containsEntry("AllocationId", Map.of("Fn::GetAtt", List.of(eip(), "AllocationId")))
        .containsEntry("BackupBucket", Map.of("Fn::ImportValue", "ZmanimProd-BackupsBucketName"))
        .containsEntry("AgentConfigParameter", Map.of("Ref", agentParameter()));
  }

  // --- IAM ----------------------------------------------------------------------------------

  @Test
  void theInstanceRoleAttachesNoManagedPolicy() {
    template.hasResourceProperties(
        "AWS::IAM::Role",
        Match.objectLike(
            Map.of(
                "AssumeRolePolicyDocument",
                    Match.objectLike(
                        Map.of(
                            "Statement",
                            List.of(
                                Match.objectLike(
                                    Map.of("Principal", Map.of("Service", "ec2.amazonaws.com")))))),
                "ManagedPolicyArns", Match.absent())));
    template.resourceCountIs("AWS::IAM::ManagedPolicy", 0);
  }

  @Test
  void theSsmAgentMayRegisterAndOpenItsChannelsButReadsNoParameter() {
    Map<String, Object> register = Iam.statement(template, "SsmAgentRegisterInstance");
    assertThat(Iam.actions(register)).containsExactly("ssm:UpdateInstanceInformation");
    assertThat(Iam.resources(register).toString()).contains(":instance/*");
    Map<String, Object> channels = Iam.statement(template, "SsmAgentMessageChannels");
    assertThat(Iam.actions(channels))
        .allSatisfy(a -> assertThat(a).matches("(ssmmessages|ec2messages):[A-Za-z]+"));
    assertThat(Iam.actions(channels))
        .contains("ssmmessages:OpenDataChannel", "ec2messages:GetMessages");
    assertThat(channels.get("Condition")).isEqualTo(Iam.THIS_REGION_ONLY);
  }

  @Test
  void theCloudWatchAgentMayReadOnlyItsOwnConfigurationParameter() {
    Map<String, Object> s = Iam.statement(template, "ReadAgentConfig");
    assertThat(Iam.actions(s)).containsExactly("ssm:GetParameter");
    assertThat(Iam.resources(s)).hasSize(1);
    assertThat(Iam.resources(s).toString()).endsWith(":parameter/AmazonCloudWatch-zmanim-prod]]}]");
  }

  @Test
  void resourceStarIsOnlyUsedForActionsWithoutResourceLevelPermissions() {
    List<String> allowed =
        List.of(
            "ec2:DescribeVolumes",
            "ec2:DescribeAddresses",
            "ec2:DescribeInstances",
            "ec2:DescribeTags",
            "cloudwatch:PutMetricData");
    assertThat(instanceStatements())
        .filteredOn(st -> Iam.resources(st).contains("*"))
        .allSatisfy(
            st -> {
              assertThat(Iam.actions(st))
                  .allSatisfy(
                      a ->
                          assertThat(
                                  allowed.contains(a)
                                      || a.startsWith("ssmmessages:")
                                      || a.startsWith("ec2messages:"))
                              .as(a)
                              .isTrue());
              assertThat(st.get("Condition"))
                  .as("a condition narrows %s", st.get("Sid"))
                  .isNotNull();
            });
  }

  @Test
  void noStatementAllowsAllActionsOrAllActionsOfAService() {
    assertThat(Iam.allActions(template))
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a).isNotEqualTo("*").doesNotEndWith(":*"));
  }

  @Test
  void theInstanceCanNeitherDeleteObjectVersionsNorChangeTheBucketsProtection() {
    assertThat(instanceStatements().stream().flatMap(st -> Iam.actions(st).stream()).toList())
        .allSatisfy(a -> assertThat(a).doesNotContain("*"))
        .doesNotContain(
            "s3:DeleteObjectVersion",
            "s3:DeleteBucket",
            "s3:PutBucketVersioning",
            "s3:PutLifecycleConfiguration",
            "s3:PutBucketPolicy",
            "s3:DeleteBucketPolicy",
            "s3:PutBucketObjectLockConfiguration",
            "s3:PutObjectRetention",
            "s3:PutObjectLegalHold",
            "s3:BypassGovernanceRetention",
            "ec2:DeleteSnapshot",
            "dlm:DeleteLifecyclePolicy",
            "dlm:UpdateLifecyclePolicy");
  }

  @Test
  void backupsAreReadWriteAndReleasesReadOnlyOnTheImportedBuckets() {
    assertThat(Iam.actions(Iam.statement(template, "BackupsObjects")))
        .containsExactly("s3:GetObject", "s3:PutObject", "s3:DeleteObject");
    assertThat(Iam.resources(Iam.statement(template, "BackupsObjects")).toString())
        .contains("ZmanimProd-BackupsBucketName");
    assertThat(Iam.actions(Iam.statement(template, "ReleasesObjectsRead")))
        .containsExactly("s3:GetObject");
    assertThat(Iam.resources(Iam.statement(template, "ReleasesObjectsRead")).toString())
        .contains("ZmanimProd-ReleasesBucketName");
  }

  @Test
  void backupObjectsMayOnlyBeTouchedUnderTheResticAndPgBackRestPrefixes() {
    List<Object> resources = Iam.resources(Iam.statement(template, "BackupsObjects"));
    assertThat(resources).hasSize(2);
    assertThat(resources.get(0).toString())
        .contains("ZmanimProd-BackupsBucketName")
        .endsWith(", /restic/*]]}");
    assertThat(resources.get(1).toString())
        .contains("ZmanimProd-BackupsBucketName")
        .endsWith(", /pgbackrest/*]]}");
    assertThat(Iam.statements(template))
        .filteredOn(st -> Iam.resources(st).toString().contains("BackupsBucketName"))
        .allSatisfy(
            st ->
                assertThat(Iam.resources(st).toString()).doesNotContain("BackupsBucketName}, /*]"));
  }

  @Test
  void attachVolumeIsLimitedToTheDataVolumeAndToInstancesOfThisGroup() {
    Map<String, Object> volume = Iam.statement(template, "AttachDataVolume");
    assertThat(Iam.actions(volume)).containsExactly("ec2:AttachVolume");
    assertThat(Iam.resources(volume).toString())
        .contains(":volume/")
        .contains("Ref=" + dataVolume());
    Map<String, Object> instances = Iam.statement(template, "AttachToGroupInstances");
    assertThat(Iam.actions(instances))
        .containsExactlyInAnyOrder("ec2:AttachVolume", "ec2:AssociateAddress");
    assertThat(instances.get("Condition"))
        .isEqualTo(
            Map.of("StringEquals", Map.of("ec2:ResourceTag/aws:autoscaling:groupName", GROUP)));
  }

  @Test
  void associateAddressIsLimitedToTheElasticIpsAllocation() {
    Map<String, Object> s = Iam.statement(template, "AssociateElasticIp");
    assertThat(Iam.actions(s)).containsExactly("ec2:AssociateAddress");
    assertThat(Iam.resources(s).toString())
        .contains(":elastic-ip/")
        .contains(eip() + ", AllocationId");
  }

  @Test
  void describeCallsWithoutResourceScopingAreLimitedToTheRegion() {
    Map<String, Object> s = Iam.statement(template, "DescribeVolumeAndAddress");
    assertThat(Iam.actions(s)).allSatisfy(a -> assertThat(a).startsWith("ec2:Describe"));
    assertThat(s.get("Condition")).isEqualTo(Iam.THIS_REGION_ONLY);
  }

  @Test
  void theInstanceMaySignalOnlyThisStack() {
    Map<String, Object> s = Iam.statement(template, "SignalThisStack");
    assertThat(Iam.actions(s)).containsExactly("cloudformation:SignalResource");
    assertThat(s.get("Resource")).isEqualTo(Map.of("Ref", "AWS::StackId"));
  }

  @Test
  void parametersAreReadableOnlyUnderTheZmanimProdPrefixAndTheAgentsOwn() {
    Map<String, Object> s = Iam.statement(template, "ReadOwnParameters");
    assertThat(Iam.actions(s)).containsExactly("ssm:GetParameter", "ssm:GetParameters");
    assertThat(s.get("Resource").toString()).contains(":parameter/zmanim/prod/*");
    assertThat(Iam.statements(template))
        .filteredOn(st -> Iam.actions(st).stream().anyMatch(a -> a.startsWith("ssm:Get")))
        .extracting(st -> st.get("Sid"))
        .containsExactlyInAnyOrder("ReadOwnParameters", "ReadAgentConfig");
  }

  @Test
  void kmsDecryptIsAllowedOnlyViaSsmForThePrefixsParameters() {
    Map<String, Object> s = Iam.statement(template, "DecryptOwnParametersViaSsm");
    assertThat(Iam.actions(s)).containsExactly("kms:Decrypt");
    assertThat(s.get("Condition").toString())
        .contains("kms:ViaService")
        .contains("ssm.")
        .contains("kms:EncryptionContext:PARAMETER_ARN")
        .contains(":parameter/zmanim/prod/*");
  }

  @Test
  void sesSendEmailIsAllowedOnlyFromTheConfiguredAddressToTheConfiguredRecipient() {
    Map<String, Object> s = Iam.statement(template, "SendNotificationsFromIdentity");
    assertThat(Iam.actions(s)).containsExactly("ses:SendEmail");
    assertThat(s.get("Resource").toString()).contains(":identity/zmanim.example");
    assertThat(s.get("Condition"))
        .isEqualTo(
            Map.of(
                "StringEquals",
                Map.of("ses:FromAddress", "noreply@zmanim.example"),
                "ForAllValues:StringEquals",
                Map.of("ses:Recipients", List.of("alerts@zmanim.example"))));
  }

  @Test
  void customMetricsMayOnlyGoToTheAppsAndTheAgentsNamespaces() {
    Map<String, Object> s = Iam.statement(template, "PutAppMetrics");
    assertThat(Iam.actions(s)).containsExactly("cloudwatch:PutMetricData");
    assertThat(s.get("Condition"))
        .isEqualTo(
            Map.of("StringEquals", Map.of("cloudwatch:namespace", List.of("Zmanim", "CWAgent"))));
  }

  @Test
  void logsMayOnlyBeWrittenToTheAppsFourLogGroups() {
    Map<String, Object> s = Iam.statement(template, "WriteAppLogs");
    assertThat(Iam.actions(s)).doesNotContain("logs:CreateLogGroup", "logs:DeleteLogGroup");
    assertThat(Iam.resources(s))
        .hasSize(4)
        .allSatisfy(r -> assertThat(r.toString()).startsWith("{Fn::GetAtt=[Logs"));
  }

  // --- CloudWatch agent, log groups ---------------------------------------------------------

  @Test
  void theFourLogGroupsOfContract8ExistWithARetention() {
    for (String service : List.of("api", "postgresql", "redis", "boot")) {
      template.hasResource(
          "AWS::Logs::LogGroup",
          Match.objectLike(
              Map.of(
                  "Properties",
                  Map.of("LogGroupName", "/zmanim/prod/" + service, "RetentionInDays", 90),
                  "DeletionPolicy",
                  "Retain")));
    }
    template.resourceCountIs("AWS::Logs::LogGroup", 4);
  }

  @Test
  void theAgentConfigurationIsAStandardSsmParameterTheManagedPolicyCanRead() {
    template.hasResourceProperties(
        "AWS::SSM::Parameter",
        Match.objectLike(
            Map.of("Name", "AmazonCloudWatch-zmanim-prod", "Type", "String", "Tier", "Standard")));
    assertThat(userDataVariables())
        .containsEntry("AgentConfigParameter", Map.of("Ref", agentParameter()));
  }

  @Test
  void theAgentCollectsCpuMemoryDiskForRootAndDataAndNetwork() throws IOException {
    JsonNode metrics = agentConfig().path("metrics").path("metrics_collected");
    assertThat(metrics.has("cpu")).isTrue();
    assertThat(metrics.has("mem")).isTrue();
    assertThat(metrics.has("net")).isTrue();
    assertThat(metrics.path("disk").path("resources").toString()).isEqualTo("[\"/\",\"/data\"]");
    assertThat(metrics.path("disk").path("measurement").toString()).contains("used_percent");
  }

  @Test
  void theAgentShipsEachLogFileToItsContractLogGroup() throws IOException {
    List<String> groups = new ArrayList<>();
    agentConfig()
        .path("logs")
        .path("logs_collected")
        .path("files")
        .path("collect_list")
        .forEach(f -> groups.add(f.path("log_group_name").asText()));
    assertThat(groups)
        .containsExactly(
            "/zmanim/prod/api",
            "/zmanim/prod/postgresql",
            "/zmanim/prod/redis",
            "/zmanim/prod/boot");
  }

  @Test
  void theAgentAggregatesDiskMetricsByExactlyTheDimensionsOfTheDataAlarm() throws IOException {
    JsonNode agent = agentConfig().path("metrics");
    assertThat(agent.path("append_dimensions").path("AutoScalingGroupName").asText())
        .isEqualTo("${aws:AutoScalingGroupName}");
    assertThat(agent.path("aggregation_dimensions").toString())
        .contains("[\"AutoScalingGroupName\",\"path\"]");
    assertThat(agent.path("namespace").asText()).isEqualTo(AppAlarms.AGENT_NAMESPACE);
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "Namespace",
                AppAlarms.AGENT_NAMESPACE,
                "MetricName",
                "disk_used_percent",
                "Dimensions",
                List.of(
                    Map.of("Name", "AutoScalingGroupName", "Value", GROUP),
                    Map.of("Name", "path", "Value", "/data")))));
  }

  // --- Alarms ------------------------------------------------------------------------------------

  @Test
  void alarmsGoToATopicWithTheAlarmEmailSubscribed() {
    template.hasResourceProperties(
        "AWS::SNS::Subscription",
        Match.objectLike(Map.of("Protocol", "email", "Endpoint", "alerts@zmanim.example")));
    template.allResourcesProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "AlarmActions",
                List.of(Map.of("Ref", topic())),
                "OKActions",
                List.of(Map.of("Ref", topic())))));
  }

  @Test
  void theAlarmTopicRefusesRequestsWithoutTls() {
    template.hasResourceProperties(
        "AWS::SNS::TopicPolicy",
        Match.objectLike(
            Map.of(
                "PolicyDocument",
                Match.objectLike(
                    Map.of(
                        "Statement",
                        Match.arrayWith(
                            List.of(
                                Match.objectLike(
                                    Map.of(
                                        "Effect",
                                        "Deny",
                                        "Condition",
                                        Map.of(
                                            "Bool",
                                            Map.of("aws:SecureTransport", "false")))))))))));
  }

  @Test
  void autoScalingLaunchesTerminationsAndFailuresAreMailedToo() {
    template.hasResourceProperties(
        "AWS::AutoScaling::AutoScalingGroup",
        Match.objectLike(
            Map.of(
                "NotificationConfigurations",
                List.of(
                    Match.objectLike(
                        Map.of(
                            "TopicARN", Map.of("Ref", topic()),
                            "NotificationTypes",
                                Match.arrayWith(
                                    List.of(
                                        "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
                                        "autoscaling:EC2_INSTANCE_TERMINATE"))))))));
  }

  @Test
  void anInstanceNotInServiceForFiveMinutesAlarmsAndMissingMetricsCountAsBreaching() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "Namespace",
                "AWS/AutoScaling",
                "MetricName",
                "GroupInServiceInstances",
                "Dimensions",
                List.of(Map.of("Name", "AutoScalingGroupName", "Value", GROUP)),
                "ComparisonOperator",
                "LessThanThreshold",
                "Threshold",
                1,
                "EvaluationPeriods",
                5,
                "TreatMissingData",
                "breaching")));
    template.hasResourceProperties(
        "AWS::AutoScaling::AutoScalingGroup",
        Match.objectLike(
            Map.of(
                "MetricsCollection",
                List.of(
                    Match.objectLike(
                        Map.of("Metrics", Match.arrayWith(List.of("GroupInServiceInstances"))))))));
  }

  @Test
  void aFailedStatusCheckAlarms() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "Namespace",
                "AWS/EC2",
                "MetricName",
                "StatusCheckFailed",
                "Dimensions",
                List.of(Map.of("Name", "AutoScalingGroupName", "Value", GROUP)),
                "ComparisonOperator",
                "GreaterThanOrEqualToThreshold",
                "Threshold",
                1)));
  }

  @Test
  void dataOver80PercentFullAlarms() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "MetricName",
                "disk_used_percent",
                "ComparisonOperator",
                "GreaterThanThreshold",
                "Threshold",
                80)));
  }

  @Test
  void noBackupSuccessIn26HoursAlarmsAndMissingDataIsBreaching() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "Namespace",
                "Zmanim",
                "MetricName",
                "BackupSuccess",
                "Dimensions",
                List.of(Map.of("Name", "Environment", "Value", "prod")),
                "Statistic",
                "Sum",
                "Period",
                26 * 3600,
                "EvaluationPeriods",
                1,
                "ComparisonOperator",
                "LessThanThreshold",
                "Threshold",
                1,
                "TreatMissingData",
                "breaching")));
  }

  @Test
  void aFailedRestoreDrillAlarms() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "Namespace",
                "Zmanim",
                "MetricName",
                "RestoreDrillSuccess",
                "Statistic",
                "Minimum",
                "Dimensions",
                List.of(Map.of("Name", "Environment", "Value", "prod")),
                "ComparisonOperator",
                "LessThanThreshold",
                "Threshold",
                1)));
  }

  @Test
  void noRestoreDrillReportInCloudWatchsLongestWindowAlarms() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "MetricName",
                "RestoreDrillSuccess",
                "Statistic",
                "SampleCount",
                "Period",
                604_800,
                "EvaluationPeriods",
                1,
                "TreatMissingData",
                "breaching")));
  }

  @Test
  void walWaitingForTheArchiveOverFiveMinutesOrNotReportedAlarms() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "Namespace",
                "Zmanim",
                "MetricName",
                "WalArchiveAgeSeconds",
                "Statistic",
                "Maximum",
                "Period",
                60,
                "Dimensions",
                List.of(Map.of("Name", "Environment", "Value", "prod")),
                "ComparisonOperator",
                "GreaterThanThreshold",
                "Threshold",
                300,
                "EvaluationPeriods",
                5,
                "TreatMissingData",
                "breaching")));
  }

  @Test
  void droppedWalAlarmsAtOnce() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "MetricName",
                "WalDropped",
                "Statistic",
                "Sum",
                "ComparisonOperator",
                "GreaterThanOrEqualToThreshold",
                "Threshold",
                1,
                "TreatMissingData",
                "notBreaching")));
  }

  @Test
  void noBaseBackupIn26HoursAlarmsAndMissingDataIsBreaching() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "MetricName",
                "BaseBackupSuccess",
                "Statistic",
                "Sum",
                "Period",
                26 * 3600,
                "ComparisonOperator",
                "LessThanThreshold",
                "Threshold",
                1,
                "TreatMissingData",
                "breaching")));
  }

  @Test
  void aFailedOrSilentVerifyAlarms() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "MetricName",
                "VerifySuccess",
                "Statistic",
                "Minimum",
                "ComparisonOperator",
                "LessThanThreshold")));
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "MetricName",
                "VerifySuccess",
                "Statistic",
                "SampleCount",
                "Period",
                604_800,
                "TreatMissingData",
                "breaching")));
  }

  @Test
  void s3SeeingNoWalPutForHalfAnHourAlarmsWhateverTheHostReports() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "Namespace",
                "AWS/S3",
                "MetricName",
                "PutRequests",
                "Statistic",
                "Sum",
                "Period",
                300,
                "EvaluationPeriods",
                6,
                "DatapointsToAlarm",
                6,
                "Dimensions",
                List.of(
                    Map.of(
                        "Name",
                        "BucketName",
                        "Value",
                        Map.of("Fn::ImportValue", "ZmanimProd-BackupsBucketName")),
                    Map.of("Name", "FilterId", "Value", "pgbackrest")),
                "ComparisonOperator",
                "LessThanThreshold",
                "Threshold",
                1,
                "TreatMissingData",
                "breaching")));
  }

  @Test
  void thereIsOneAlarmTopic() {
    template.resourceCountIs("AWS::SNS::Topic", 1);
  }

  @Test
  void everyAlarmWindowFitsCloudWatchsLimits() {
    Synth.resources(template, "AWS::CloudWatch::Alarm")
        .values()
        .forEach(
            alarm -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> p = (Map<String, Object>) alarm.get("Properties");
              // A metric-math alarm has no Period of its own: its metrics' periods set the window.
              int period =
                  p.containsKey("Period")
                      ? ((Number) p.get("Period")).intValue()
                      : ((List<?>) p.get("Metrics"))
                          .stream()
                              .map(m -> (Map<?, ?>) ((Map<?, ?>) m).get("MetricStat"))
                              .filter(java.util.Objects::nonNull)
                              .mapToInt(m -> ((Number) m.get("Period")).intValue())
                              .max()
                              .orElseThrow();
              int window = period * ((Number) p.get("EvaluationPeriods")).intValue();
              assertThat(window)
                  .as(p.get("AlarmName") + " window")
                  .isLessThanOrEqualTo(period < 3600 ? 86_400 : 604_800);
            });
  }

  // --- Cross-stack references, nag ---------------------------------------------------------------

  @Test
  void theStackImportsTheNetworkAndStorageExports() {
    Matcher m = Pattern.compile("\"Fn::ImportValue\":\"(ZmanimProd-[A-Za-z]+)\"").matcher(json);
    Set<String> imports = new TreeSet<>();
    while (m.find()) {
      imports.add(m.group(1));
    }
    assertThat(imports)
        .contains(
            "ZmanimProd-AppSubnetId",
            "ZmanimProd-AppSubnetAz",
            "ZmanimProd-AppSecurityGroupId",
            "ZmanimProd-BackupsBucketName",
            "ZmanimProd-ReleasesBucketName");
  }

  @Test
  void cdkNagAwsSolutionsHasNoUnacknowledgedFinding() {
    assertThat(Synth.unacknowledgedNagFindings(stack)).isEmpty();
  }

  @Test
  void noTemplateValueLooksLikeASecret() {
    assertThat(json.toLowerCase())
        .doesNotContain("password")
        .doesNotContain("securestring")
        .doesNotContain("{{resolve:ssm-secure");
  }

  // --- helpers -----------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private static List<Object> userDataSub() {
    Map<String, Object> lt =
        Synth.resources(template, "AWS::EC2::LaunchTemplate").values().iterator().next();
    Map<String, Object> data =
        (Map<String, Object>)
            ((Map<String, Object>) lt.get("Properties")).get("LaunchTemplateData");
    Map<String, Object> base64 = (Map<String, Object>) data.get("UserData");
    Map<String, Object> sub = (Map<String, Object>) base64.get("Fn::Base64");
    return (List<Object>) sub.get("Fn::Sub");
  }

  private static List<Map<String, Object>> instanceStatements() {
    return Iam.statementsOfRoleAssumedBy(template, "ec2.amazonaws.com");
  }

  private static String userDataTemplate() {
    return (String) userDataSub().get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> userDataVariables() {
    return (Map<String, Object>) userDataSub().get(1);
  }

  @SuppressWarnings("unchecked")
  private static JsonNode agentConfig() throws IOException {
    Map<String, Object> p =
        Synth.resources(template, "AWS::SSM::Parameter").values().iterator().next();
    return new ObjectMapper()
        .readTree((String) ((Map<String, Object>) p.get("Properties")).get("Value"));
  }

  // --- secret rotation (ADR 0018)
  // ------------------------------------------------------------------

  @Test
  void theRotationDocumentRunsZmanimRotateWithOnlyTheStepsTheScriptKnows() throws IOException {
    template.hasResourceProperties(
        "AWS::SSM::Document",
        Match.objectLike(
            Map.of(
                "Name",
                "zmanim-prod-rotate",
                "DocumentType",
                "Command",
                "Content",
                Match.objectLike(
                    Map.of(
                        "parameters",
                            Map.of(
                                "step",
                                Match.objectLike(Map.of("allowedValues", RotationDocument.STEPS))),
                        "mainSteps",
                            List.of(
                                Match.objectLike(
                                    Map.of(
                                        "action",
                                        "aws:runShellScript",
                                        "inputs",
                                        Match.objectLike(
                                            Map.of(
                                                "runCommand",
                                                List.of(
                                                    "/usr/local/sbin/zmanim-rotate '{{ step }}'")))))))))));
    String script =
        Files.readString(Path.of("packer", "files", "usr", "local", "sbin", "zmanim-rotate"));
    Matcher kinds = Pattern.compile("\\n +([a-z][a-z|\\- ]+)\\) ;;\\n").matcher(script);
    assertThat(kinds.find()).as("zmanim-rotate's case of accepted steps").isTrue();
    assertThat(List.of(kinds.group(1).split(" \\| ")))
        .containsExactlyElementsOf(RotationDocument.STEPS);
  }

  @Test
  void theRotationDocumentsNameIsAnOutputForTheOperatorsScript() {
    template.hasOutput(
        "RotationDocumentName",
        Match.objectLike(Map.of("Value", Map.of("Ref", logicalId("AWS::SSM::Document")))));
  }

  private static String parameterWithDefault(String value) {
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> params =
        (Map<String, Map<String, Object>>) (Map<?, ?>) template.findParameters("*");
    return params.entrySet().stream()
        .filter(e -> value.equals(e.getValue().get("Default")))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no parameter defaulting to " + value));
  }

  private static String logicalId(String type) {
    Map<String, Map<String, Object>> found = Synth.resources(template, type);
    assertThat(found).as(type).hasSize(1);
    return found.keySet().iterator().next();
  }

  private static String dataVolume() {
    return logicalId("AWS::EC2::Volume");
  }

  private static String eip() {
    return logicalId("AWS::EC2::EIP");
  }

  private static String topic() {
    return logicalId("AWS::SNS::Topic");
  }

  private static String agentParameter() {
    return logicalId("AWS::SSM::Parameter");
  }
}
