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
    template.allResourcesProperties(
        "AWS::S3::Bucket",
        Match.objectLike(
            Map.of(
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "BucketEncryption",
                    Map.of(
                        "ServerSideEncryptionConfiguration",
                        List.of(
                            Map.of(
                                "ServerSideEncryptionByDefault",
                                Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration",
                    Map.of(
                        "BlockPublicAcls",
                        true,
                        "BlockPublicPolicy",
                        true,
                        "IgnorePublicAcls",
                        true,
                        "RestrictPublicBuckets",
                        true))));
  }

  @Test
  void everyBucketPolicyDeniesRequestsWithoutTls() {
    template.resourceCountIs("AWS::S3::BucketPolicy", 2);
    template.allResourcesProperties(
        "AWS::S3::BucketPolicy",
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
                                        "Action",
                                        "s3:*",
                                        "Condition",
                                        Map.of(
                                            "Bool",
                                            Map.of("aws:SecureTransport", "false")))))))))));
  }

  @Test
  void theBackupsBucketKeepsNoncurrentVersionsAtLeast30Days() {
    template.hasResourceProperties(
        "AWS::S3::Bucket",
        Match.objectLike(
            Map.of(
                "LifecycleConfiguration",
                Map.of(
                    "Rules",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Id",
                                    "expire-noncurrent-versions",
                                    "Status",
                                    "Enabled",
                                    "NoncurrentVersionExpiration",
                                    Map.of("NoncurrentDays", 35)))))))));
  }

  @Test
  void theBackupsBucketLocksEveryVersionInComplianceModeForThirtyDays() {
    template.hasResourceProperties(
        "AWS::S3::Bucket",
        Match.objectLike(
            Map.of(
                "ObjectLockEnabled",
                true,
                "ObjectLockConfiguration",
                Map.of(
                    "ObjectLockEnabled",
                    "Enabled",
                    "Rule",
                    Map.of("DefaultRetention", Map.of("Mode", "COMPLIANCE", "Days", 30))))));
    template.resourcePropertiesCountIs(
        "AWS::S3::Bucket", Match.objectLike(Map.of("ObjectLockEnabled", true)), 1);
  }

  @Test
  void
      theBackupsBucketPolicyDeniesEveryoneButTheBreakGlassRoleDeletingVersionsOrChangingProtection() {
    Map<String, Object> breakGlassArn =
        Map.of(
            "Fn::Join",
            List.of(
                "",
                List.of(
                    "arn:",
                    Map.of("Ref", "AWS::Partition"),
                    ":iam::",
                    Map.of("Ref", "AWS::AccountId"),
                    ":role/zmanim-prod-backups-break-glass")));
    Object deny =
        Match.objectLike(
            Map.of(
                "Effect",
                "Deny",
                "Principal",
                Map.of("AWS", "*"),
                "Action",
                Match.arrayWith(
                    List.of(
                        "s3:DeleteObjectVersion",
                        "s3:PutBucketVersioning",
                        "s3:PutLifecycleConfiguration",
                        "s3:PutBucketObjectLockConfiguration",
                        "s3:PutBucketPolicy",
                        "s3:DeleteBucketPolicy")),
                "Condition",
                Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", breakGlassArn))));
    template.hasResourceProperties(
        "AWS::S3::BucketPolicy",
        Match.objectLike(
            Map.of(
                "PolicyDocument",
                Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(deny)))))));
  }

  @Test
  void theBreakGlassRoleIsNamedAsThePolicySaysAndNeedsMfa() {
    template.hasResourceProperties(
        "AWS::IAM::Role",
        Match.objectLike(
            Map.of(
                "RoleName",
                "zmanim-prod-backups-break-glass",
                "MaxSessionDuration",
                3600,
                "AssumeRolePolicyDocument",
                Match.objectLike(
                    Map.of(
                        "Statement",
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Action",
                                    "sts:AssumeRole",
                                    "Condition",
                                    Map.of(
                                        "Bool",
                                        Map.of("aws:MultiFactorAuthPresent", "true"))))))))));
  }

  @Test
  void s3CountsTheRequestsUnderThePgBackRestPrefixForAlarmsNoHostCanFake() {
    template.hasResourceProperties(
        "AWS::S3::Bucket",
        Match.objectLike(
            Map.of(
                "MetricsConfigurations",
                List.of(Map.of("Id", "pgbackrest", "Prefix", "pgbackrest/")),
                "ObjectLockEnabled",
                true)));
  }

  @Test
  void aPublishedReleaseCanNeitherBeOverwrittenNorDeleted() {
    Object overwrite =
        Match.objectLike(
            Map.of(
                "Sid",
                "DenyOverwritingWriteOnceObjects",
                "Effect",
                "Deny",
                "Principal",
                Map.of("AWS", "*"),
                "Action",
                "s3:PutObject",
                "Condition",
                Match.objectLike(Map.of("Null", Map.of("s3:if-none-match", "true")))));
    Object delete =
        Match.objectLike(
            Map.of(
                "Sid",
                "DenyDeletingWriteOnceObjects",
                "Effect",
                "Deny",
                "Action",
                List.of("s3:DeleteObject", "s3:DeleteObjectVersion")));
    template.hasResourceProperties(
        "AWS::S3::BucketPolicy",
        Match.objectLike(
            Map.of(
                "PolicyDocument",
                Match.objectLike(
                    Map.of("Statement", Match.arrayWith(List.of(overwrite, delete)))))));
    assertThat(Synth.resources(template, "AWS::S3::BucketPolicy").toString())
        .contains("/releases/*")
        .containsOnlyOnce("DenyOverwritingWriteOnceObjects");
  }

  @Test
  void theReleasesBucketHasNoObjectLock() {
    template.resourcePropertiesCountIs(
        "AWS::S3::Bucket", Match.objectLike(Map.of("ObjectLockEnabled", Match.absent())), 1);
  }

  @Test
  void bucketsAreRetainedWhenTheStackIsDeleted() {
    template.allResources(
        "AWS::S3::Bucket",
        Match.objectLike(Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain")));
  }

  @Test
  void bothBucketNamesAreExported() {
    template.hasOutput(
        "BackupsBucketName",
        Match.objectLike(Map.of("Export", Map.of("Name", "ZmanimProd-BackupsBucketName"))));
    template.hasOutput(
        "ReleasesBucketName",
        Match.objectLike(Map.of("Export", Map.of("Name", "ZmanimProd-ReleasesBucketName"))));
  }

  @Test
  void cdkNagAwsSolutionsHasNoUnacknowledgedFinding() {
    assertThat(Synth.unacknowledgedNagFindings(stack)).isEmpty();
  }
}
