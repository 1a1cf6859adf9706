package com.zmanim.infrastructure.ha.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** ZmanimProdHaData (profile ha), synthesized once. */
class HaDataStackTest {

  private static HaDataStack stack;
  private static Template template;
  private static String json;

  @BeforeAll
  static void synth() throws Exception {
    ZmanimConfig config = ZmanimConfig.withOverrides(Map.of("profile", "ha"));
    stack = Synth.stack("HaData", config, HaDataStack::new);
    template = Synth.template(stack);
    json = new ObjectMapper().writeValueAsString(template.toJSON());
  }

  @Test
  void theStackNameSaysItBelongsToTheHaProfile() {
    assertThat(stack.getStackName()).isEqualTo("ZmanimProdHaData");
  }

  @Test
  void auroraIsPostgresql17WithEncryptionBackupsForThePitrWindowAndDeletionProtection() {
    template.hasResourceProperties(
        "AWS::RDS::DBCluster",
        Match.objectLike(
            Map.of(
                "Engine",
                "aurora-postgresql",
                "EngineVersion",
                Match.stringLikeRegexp("^17\\..*"),
                "StorageEncrypted",
                true,
                "BackupRetentionPeriod",
                14,
                "DeletionProtection",
                true)));
    template.hasResource(
        "AWS::RDS::DBCluster", Match.objectLike(Map.of("DeletionPolicy", "Snapshot")));
  }

  @Test
  void auroraIsServerlessV2WithAWriterAndAReaderAtHalfAnAcuMinimumWithoutAutoPause() {
    template.hasResourceProperties(
        "AWS::RDS::DBCluster",
        Match.objectLike(
            Map.of(
                "ServerlessV2ScalingConfiguration", Map.of("MinCapacity", 0.5, "MaxCapacity", 4))));
    template.resourceCountIs("AWS::RDS::DBInstance", 2);
    template.allResourcesProperties(
        "AWS::RDS::DBInstance",
        Match.objectLike(Map.of("DBInstanceClass", "db.serverless", "PubliclyAccessible", false)));
  }

  @Test
  void theAdministratorPasswordIsManagedByRdsInSecretsManagerAndNeverInTheTemplate() {
    template.hasResourceProperties(
        "AWS::RDS::DBCluster",
        Match.objectLike(
            Map.of(
                "ManageMasterUserPassword",
                true,
                "MasterUsername",
                "zmanim_admin",
                "MasterUserPassword",
                Match.absent())));
    template.resourceCountIs("AWS::SecretsManager::Secret", 0);
    template.hasOutput(
        "HaDatabaseSecretArn",
        Match.objectLike(
            Map.of(
                "Value",
                Map.of(
                    "Fn::GetAtt",
                    List.of(
                        Match.stringLikeRegexp("DatabaseCluster.*"),
                        "MasterUserSecret.SecretArn")))));
  }

  @Test
  void theWriterAndTheReaderRunInDifferentAzs() {
    template.hasResourceProperties(
        "AWS::RDS::DBInstance",
        Match.objectLike(
            Map.of("AvailabilityZone", Map.of("Fn::ImportValue", "ZmanimProd-HaSubnetAz0"))));
    template.hasResourceProperties(
        "AWS::RDS::DBInstance",
        Match.objectLike(
            Map.of("AvailabilityZone", Map.of("Fn::ImportValue", "ZmanimProd-HaSubnetAz1"))));
  }

  @Test
  void theCachesPrimaryAndReplicaArePlacedInDifferentAzs() {
    template.hasResourceProperties(
        "AWS::ElastiCache::ReplicationGroup",
        Match.objectLike(
            Map.of(
                "PreferredCacheClusterAZs",
                List.of(
                    Map.of("Fn::ImportValue", "ZmanimProd-HaSubnetAz0"),
                    Map.of("Fn::ImportValue", "ZmanimProd-HaSubnetAz1")))));
  }

  @Test
  void clientsMustUseTls() {
    template.hasResourceProperties(
        "AWS::RDS::DBClusterParameterGroup",
        Match.objectLike(Map.of("Parameters", Match.objectLike(Map.of("rds.force_ssl", "1")))));
  }

  @Test
  void theCacheIsValkeyMultiAzWithAutomaticFailoverTlsRequiredEncryptedAtRestAndAuth() {
    template.hasResourceProperties(
        "AWS::ElastiCache::ReplicationGroup",
        Match.objectLike(
            Map.of(
                "Engine",
                "valkey",
                "NumCacheClusters",
                2,
                "MultiAZEnabled",
                true,
                "AutomaticFailoverEnabled",
                true,
                "TransitEncryptionEnabled",
                true,
                "TransitEncryptionMode",
                "required",
                "AtRestEncryptionEnabled",
                true,
                "AuthToken",
                "{{resolve:ssm-secure:/zmanim/prod/redis-password}}")));
  }

  @Test
  void theDataServicesLiveInTheIsolatedSubnetsOfBothAzs() {
    template.hasResourceProperties(
        "AWS::ElastiCache::SubnetGroup",
        Match.objectLike(
            Map.of(
                "SubnetIds",
                List.of(
                    Map.of("Fn::ImportValue", "ZmanimProd-HaIsolatedSubnetId0"),
                    Map.of("Fn::ImportValue", "ZmanimProd-HaIsolatedSubnetId1")))));
    template.hasResourceProperties(
        "AWS::RDS::DBSubnetGroup",
        Match.objectLike(
            Map.of(
                "SubnetIds",
                List.of(
                    Map.of("Fn::ImportValue", "ZmanimProd-HaIsolatedSubnetId0"),
                    Map.of("Fn::ImportValue", "ZmanimProd-HaIsolatedSubnetId1")))));
  }

  @Test
  void noSecretValueIsInTheTemplate() {
    assertThat(json)
        .doesNotContainPattern("\"MasterUserPassword\"")
        .doesNotContain("resolve:secretsmanager");
  }

  @Test
  void cdkNagAwsSolutionsHasNoUnacknowledgedFinding() {
    assertThat(Synth.unacknowledgedNagFindings(stack)).isEmpty();
  }
}
