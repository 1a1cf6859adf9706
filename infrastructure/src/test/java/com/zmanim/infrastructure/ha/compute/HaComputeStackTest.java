package com.zmanim.infrastructure.ha.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.infrastructure.config.ResourceText;
import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.ContractKeys;
import com.zmanim.infrastructure.support.Iam;
import com.zmanim.infrastructure.support.Synth;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** ZmanimProdHaCompute (profile ha), synthesized once. */
class HaComputeStackTest {

  private static HaComputeStack stack;
  private static Template template;
  private static String json;

  @BeforeAll
  static void synth() throws Exception {
    ZmanimConfig config = ZmanimConfig.withOverrides(Map.of("profile", "ha"));
    stack = Synth.stack("HaCompute", config, HaComputeStack::new);
    template = Synth.template(stack);
    json = new ObjectMapper().writeValueAsString(template.toJSON());
  }

  @Test
  void theStackNameAndOutputsSayTheyBelongToTheHaProfile() {
    assertThat(stack.getStackName()).isEqualTo("ZmanimProdHaCompute");
    template.hasOutput(
        "LoadBalancerDnsName",
        Match.objectLike(Map.of("Description", Match.stringLikeRegexp("^Profile ha: .*"))));
  }

  @Test
  void atLeastTwoInstancesRunOverTheTwoAzsPublicSubnetsCheckedByTheLoadBalancer() {
    template.hasResourceProperties(
        "AWS::AutoScaling::AutoScalingGroup",
        Match.objectLike(
            Map.of(
                "MinSize",
                "2",
                "VPCZoneIdentifier",
                List.of(
                    Map.of("Fn::ImportValue", "ZmanimProd-HaPublicSubnetId0"),
                    Map.of("Fn::ImportValue", "ZmanimProd-HaPublicSubnetId1")),
                "HealthCheckType",
                "ELB",
                "TargetGroupARNs",
                List.of(Map.of("Ref", Match.stringLikeRegexp("LoadBalancerApi.*"))))));
  }

  @Test
  void aRollingUpdateReplacesOneAtATimeKeepingTheMinimumInServiceAndWaitsForSignals() {
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
                                    "MaxBatchSize",
                                    1,
                                    "MinInstancesInService",
                                    2,
                                    "WaitOnResourceSignals",
                                    true)))),
                "CreationPolicy",
                    Match.objectLike(
                        Map.of("ResourceSignal", Match.objectLike(Map.of("Count", 2)))))));
  }

  @Test
  void theInstancesRunTheSameImageParameterAsTheSingleProfileWithImdsv2() {
    String param =
        template
            .findParameters("*", Match.objectLike(Map.of("Default", "/zmanim/prod/ami-id")))
            .keySet()
            .iterator()
            .next();
    template.hasResourceProperties(
        "AWS::EC2::LaunchTemplate",
        Match.objectLike(
            Map.of(
                "LaunchTemplateData",
                Match.objectLike(
                    Map.of(
                        "ImageId",
                        Map.of("Ref", param),
                        "MetadataOptions",
                        Match.objectLike(Map.of("HttpTokens", "required")))))));
  }

  @Test
  void theTargetsAreHealthyWhenHealthAnswers200() {
    template.hasResourceProperties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        Match.objectLike(
            Map.of(
                "Port", 8080, "HealthCheckPath", "/health", "Matcher", Map.of("HttpCode", "200"))));
  }

  @Test
  void theLoadBalancerUsesOnlyTheNetworkStacksGroupAndAddsNoIngress() {
    template.hasResourceProperties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        Match.objectLike(
            Map.of(
                "Scheme",
                "internet-facing",
                "SecurityGroups",
                List.of(Map.of("Fn::ImportValue", "ZmanimProd-HaAlbSecurityGroupId")))));
    template.resourceCountIs("AWS::EC2::SecurityGroupIngress", 0);
    template.resourceCountIs("AWS::EC2::SecurityGroup", 0);
  }

  @Test
  void theUserDataStartsTheImageInRoleApiWithTheDataStacksEndpoints() {
    String userData = ResourceText.read(HaComputeStack.USER_DATA);
    assertThat(userData)
        .contains("ZMANIM_ROLE=api")
        .contains("ZMANIM_DB_HOST=${DatabaseHost}")
        .contains("ZMANIM_CACHE_HOST=${CacheHost}")
        .doesNotContain("ZMANIM_DATA_VOLUME_ID");
    assertThat(json)
        .contains("ZmanimProd-HaDatabaseEndpoint")
        .contains("ZmanimProd-HaCacheEndpoint")
        .contains("ZmanimProd-HaDatabaseSecretArn");
  }

  @Test
  void theUserDataWritesExactlyTheKeysOfContractSection10() {
    assertThat(ContractKeys.written(ResourceText.read(HaComputeStack.USER_DATA)))
        .isNotEmpty()
        .isEqualTo(ContractKeys.documented(10));
  }

  @Test
  void theRoleReadsTheDatabaseSecretAndTouchesNoVolumeAddressOrBackup() {
    Map<String, Object> secret = Iam.statement(template, "ReadDatabaseAdminSecret");
    assertThat(Iam.actions(secret)).containsExactly("secretsmanager:GetSecretValue");
    assertThat(Iam.resources(secret))
        .containsExactly(Map.of("Fn::ImportValue", "ZmanimProd-HaDatabaseSecretArn"));
    assertThat(Iam.allActions(template))
        .doesNotContain(
            "ec2:AttachVolume", "ec2:AssociateAddress", "s3:PutObject", "s3:DeleteObject")
        .allSatisfy(a -> assertThat(a).doesNotEndWith(":*").isNotEqualTo("*"));
  }

  @Test
  void secretsManagerGrantsNothingButReadingTheDatabaseAdminSecret() {
    assertThat(Iam.statements(template))
        .filteredOn(s -> Iam.actions(s).stream().anyMatch(a -> a.startsWith("secretsmanager:")))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(Iam.actions(s)).containsExactly("secretsmanager:GetSecretValue");
              assertThat(Iam.resources(s))
                  .containsExactly(Map.of("Fn::ImportValue", "ZmanimProd-HaDatabaseSecretArn"));
            });
  }

  @Test
  void withoutTheMigrationFlagNoStatementNamesTheBackupsBucket() {
    assertThat(Iam.statements(template))
        .allSatisfy(
            s -> assertThat(Iam.resources(s).toString()).doesNotContain("BackupsBucketName"));
    assertThat(json)
        .as("the user data still names it (an identifier)")
        .contains("ZmanimProd-BackupsBucketName");
  }

  @Test
  void theRoleReadsTheFiveParametersItNamesAndNothingElseOfThePrefix() {
    Map<String, Object> read = Iam.statement(template, "ReadOwnParameters");
    List<String> names =
        Iam.resources(read).stream()
            .map(
                r ->
                    r.toString().replaceAll("(?s).*:parameter/zmanim/prod/([a-z-]+)\\]\\]}$", "$1"))
            .toList();
    assertThat(names)
        .containsExactlyInAnyOrder(
            "postgres-password",
            "redis-password",
            "origin-verify-secret",
            "origin-verify-secret-previous",
            "api-release");
    assertThat(Iam.statements(template))
        .filteredOn(st -> Iam.actions(st).stream().anyMatch(a -> a.startsWith("ssm:Get")))
        .extracting(st -> st.get("Sid"))
        .containsExactlyInAnyOrder("ReadOwnParameters", "ReadAgentConfig");
    Map<String, Object> decrypt = Iam.statement(template, "DecryptOwnParametersViaSsm");
    assertThat(decrypt.get("Condition").toString())
        .contains("kms:ViaService")
        .contains("/origin-verify-secret-previous")
        .doesNotContain("/*")
        .doesNotContain("restic-password")
        .doesNotContain("pgbackrest-cipher-pass");
  }

  @Test
  void theParametersGrantedAreTheOnesTheImagesRoleApiReads() throws Exception {
    Path sbin = Path.of("packer", "files", "usr", "local", "sbin");
    String boot = Files.readString(sbin.resolve("zmanim-boot-api"));
    Set<String> read = new TreeSet<>();
    Matcher m =
        Pattern.compile("(?m)^\\s*ZMANIM_(?:REQUIRED|ROTATION)_SECRETS=\\(([^)]*)\\)")
            .matcher(boot);
    while (m.find()) {
      read.addAll(List.of(m.group(1).trim().split("\\s+")));
    }
    assertThat(Files.readString(sbin.resolve("zmanim-release-fetch")))
        .contains("$ZMANIM_SSM_PREFIX/api-release");
    read.add("api-release");
    assertThat(read).isEqualTo(new TreeSet<>(HaComputeStack.API_PARAMETERS));
  }

  @Test
  void theApiAndBootLogsShipToLogGroupsOfTheirOwnThroughTheAgent() throws Exception {
    template.hasResourceProperties(
        "AWS::Logs::LogGroup", Match.objectLike(Map.of("LogGroupName", "/zmanim/prod/ha/api")));
    template.hasResourceProperties(
        "AWS::Logs::LogGroup", Match.objectLike(Map.of("LogGroupName", "/zmanim/prod/ha/boot")));
    template.resourceCountIs("AWS::Logs::LogGroup", 2);
    Map<String, Map<String, Object>> params =
        template.findResources(
            "AWS::SSM::Parameter",
            Match.objectLike(
                Map.of(
                    "Properties",
                    Match.objectLike(Map.of("Name", "AmazonCloudWatch-zmanim-prod-ha")))));
    assertThat(params).hasSize(1);
    @SuppressWarnings("unchecked")
    String value =
        (String)
            ((Map<String, Object>) params.values().iterator().next().get("Properties"))
                .get("Value");
    var files = new ObjectMapper().readTree(value).at("/logs/logs_collected/files/collect_list");
    assertThat(files.findValuesAsText("file_path"))
        .containsExactly("/var/log/zmanim/api.log", "/var/log/zmanim/boot.log");
    assertThat(files.findValuesAsText("log_group_name"))
        .containsExactly("/zmanim/prod/ha/api", "/zmanim/prod/ha/boot");
    assertThat(ResourceText.read(HaComputeStack.USER_DATA))
        .contains("ZMANIM_CW_AGENT_CONFIG_PARAM=${AgentConfigParameter}");
    assertThat(Iam.resources(Iam.statement(template, "WriteAppLogs")))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.toString()).startsWith("{Fn::GetAtt=[Logs"));
    assertThat(Iam.resources(Iam.statement(template, "ReadAgentConfig")).toString())
        .endsWith(":parameter/AmazonCloudWatch-zmanim-prod-ha]]}]");
    assertThat(Iam.statement(template, "PutAppMetrics").get("Condition"))
        .isEqualTo(
            Map.of("StringEquals", Map.of("cloudwatch:namespace", List.of("Zmanim", "CWAgent"))));
  }

  @Test
  void alarmsFireWhenNoTargetOrFewerThanTheMinimumIsHealthyOnErrorsAndWhenAuroraIsAtItsCeiling() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "AlarmName",
                "zmanim-prod-ha-ApiBelowMinimum",
                "MetricName",
                "HealthyHostCount",
                "Threshold",
                2,
                "ComparisonOperator",
                "LessThanThreshold",
                "TreatMissingData",
                "breaching")));
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(Map.of("AlarmName", "zmanim-prod-ha-NoHealthyApi", "Threshold", 1)));
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "AlarmName",
                "zmanim-prod-ha-ApiErrors",
                "MetricName",
                "HTTPCode_Target_5XX_Count")));
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "AlarmName",
                "zmanim-prod-ha-DatabaseAtMaxCapacity",
                "Namespace",
                "AWS/RDS",
                "Dimensions",
                List.of(Map.of("Name", "DBClusterIdentifier", "Value", "zmanim-prod-ha-db")))));
  }

  @Test
  void cdkNagAwsSolutionsHasNoUnacknowledgedFinding() {
    assertThat(Synth.unacknowledgedNagFindings(stack)).isEmpty();
  }
}
