package com.zmanim.infrastructure.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectLockRetention;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * A private bucket: versioned, encrypted (SSE-S3), public access blocked, TLS-only bucket policy,
 * retained when the stack is deleted. With {@code noncurrentVersionDays} set, overwritten or
 * deleted objects stay recoverable that long (the instance cannot delete versions). With
 * {@code lockDays} set, every object version is locked in S3 Object Lock compliance mode for that
 * long after it is written (no one can delete it; a delete only adds a marker). With
 * {@code breakGlassRoleArn} set, the bucket policy denies everyone else deleting object versions and
 * changing the bucket's versioning, lifecycle, lock configuration and policy (ADR 0010).
 */
public final class ArtifactBucket extends Construct {

  /** What the bucket policy forbids to everyone but the break-glass role. */
  public static final List<String> PROTECTED_ACTIONS = List.of("s3:DeleteObjectVersion", "s3:PutBucketVersioning",
      "s3:PutLifecycleConfiguration", "s3:PutBucketObjectLockConfiguration", "s3:PutBucketPolicy",
      "s3:DeleteBucketPolicy", "s3:DeleteBucket");

  /**
   * @param purpose               what the bucket holds (for humans, in the construct path)
   * @param noncurrentVersionDays days noncurrent versions are kept; 0 = kept until deleted by hand
   * @param lockDays              Object Lock compliance-mode default retention; 0 = no Object Lock
   * @param breakGlassRoleArn     the only principal allowed {@link #PROTECTED_ACTIONS}; null = no such policy
   */
  public record Props(String purpose, int noncurrentVersionDays, int lockDays, String breakGlassRoleArn) {
    public Props {
      Objects.requireNonNull(purpose, "purpose");
      if (noncurrentVersionDays != 0 && noncurrentVersionDays < 30) {
        throw new IllegalArgumentException("noncurrentVersionDays is invalid: " + noncurrentVersionDays
            + ": expected 0 (keep) or at least 30");
      }
      if (lockDays < 0 || lockDays > 3_650) {
        throw new IllegalArgumentException("lockDays is invalid: " + lockDays + ": expected 0 (no lock) to 3650");
      }
    }
  }

  private final Bucket bucket;

  public ArtifactBucket(Construct scope, String id, Props props) {
    super(scope, id);
    List<LifecycleRule> rules = new ArrayList<>();
    rules.add(LifecycleRule.builder()
        .id("abort-incomplete-uploads")
        .abortIncompleteMultipartUploadAfter(Duration.days(7))
        .build());
    if (props.noncurrentVersionDays() > 0) {
      rules.add(LifecycleRule.builder()
          .id("expire-noncurrent-versions")
          .noncurrentVersionExpiration(Duration.days(props.noncurrentVersionDays()))
          .build());
    }
    Bucket.Builder builder = Bucket.Builder.create(this, "Bucket");
    if (props.lockDays() > 0) {
      builder.objectLockEnabled(true)
          .objectLockDefaultRetention(ObjectLockRetention.compliance(Duration.days(props.lockDays())));
    }
    bucket = builder
        .versioned(true)
        .encryption(BucketEncryption.S3_MANAGED)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
        .lifecycleRules(rules)
        .removalPolicy(RemovalPolicy.RETAIN)
        .build();
    if (props.breakGlassRoleArn() != null) {
      // Principal "*" includes CloudFormation's own role: once created, these settings change only
      // through the break-glass role (procedure in ADR 0010).
      bucket.addToResourcePolicy(PolicyStatement.Builder.create()
          .sid("DenyHistoryAndProtectionChangesButBreakGlass")
          .effect(Effect.DENY)
          .principals(List.of(new AnyPrincipal()))
          .actions(PROTECTED_ACTIONS)
          .resources(List.of(bucket.getBucketArn(), bucket.arnForObjects("*")))
          .conditions(Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", props.breakGlassRoleArn())))
          .build());
    }
  }

  public Bucket bucket() {
    return bucket;
  }
}
