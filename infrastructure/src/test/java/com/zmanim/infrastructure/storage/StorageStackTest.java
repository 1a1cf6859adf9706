package com.zmanim.infrastructure.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** ZmanimProdStorage, synthesized once. */
class StorageStackTest {

  private static StorageStack stack;
  private static Template template;

  @BeforeAll
  static void synth() {
    stack = Synth.stack("Storage", ZmanimConfig.defaults(), StorageStack::new);
    template = Synth.template(stack);
  }

  @Test
  void thereAreExactlyTwoBucketsBackupsAndReleases() {
    template.resourceCountIs("AWS::S3::Bucket", 2);
    assertThat(stack.getStackName()).isEqualTo("ZmanimProdStorage");
  }

  @Test
  void everyBucketIsVersionedEncryptedAndBlocksPublicAccess() {
    template.allResourcesProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
        "VersioningConfiguration", Map.of("Status", "Enabled"),
        "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
            "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
        "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
            "IgnorePublicAcls", true, "RestrictPublicBuckets", true))));
  }

  @Test
  void everyBucketPolicyDeniesRequestsWithoutTls() {
    template.resourceCountIs("AWS::S3::BucketPolicy", 2);
    template.allResourcesProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
        "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
            "Effect", "Deny", "Action", "s3:*",
            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
  }

  @Test
  void theBackupsBucketKeepsNoncurrentVersionsAtLeast30Days() {
    template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
        "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(Match.objectLike(Map.of(
            "Id", "expire-noncurrent-versions", "Status", "Enabled",
            "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 35)))))))));
  }

  @Test
  void bucketsAreRetainedWhenTheStackIsDeleted() {
    template.allResources("AWS::S3::Bucket", Match.objectLike(Map.of(
        "DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain")));
  }

  @Test
  void bothBucketNamesAreExported() {
    template.hasOutput("BackupsBucketName", Match.objectLike(Map.of("Export", Map.of("Name", "ZmanimProd-BackupsBucketName"))));
    template.hasOutput("ReleasesBucketName", Match.objectLike(Map.of("Export", Map.of("Name", "ZmanimProd-ReleasesBucketName"))));
  }

  @Test
  void cdkNagAwsSolutionsHasNoUnacknowledgedFinding() {
    assertThat(Synth.unacknowledgedNagFindings(stack)).isEmpty();
  }
}
