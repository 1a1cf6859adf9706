package com.zmanim.infrastructure.storage;

import com.zmanim.infrastructure.Ordered;
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
import software.amazon.awscdk.services.s3.BucketMetrics;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectLockRetention;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * A private bucket: versioned, encrypted (SSE-S3), public access blocked, TLS-only bucket policy,
 * retained when the stack is deleted. With {@code noncurrentVersionDays} set, overwritten or
 * deleted objects stay recoverable that long (the instance cannot delete versions). With {@code
 * lockDays} set, every object version is locked in S3 Object Lock compliance mode for that long
 * after it is written (no one can delete it; a delete only adds a marker). With {@code
 * breakGlassRoleArn} set, the bucket policy denies everyone else deleting object versions and
 * changing the bucket's versioning, lifecycle, lock configuration and policy (ADR 0010).
 */
public final class ArtifactBucket extends Construct {

  /** What the bucket policy forbids to everyone but the break-glass role. */
  public static final List<String> PROTECTED_ACTIONS =
      List.of(
          "s3:DeleteObjectVersion",
          "s3:PutBucketVersioning",
          "s3:PutLifecycleConfiguration",
          "s3:PutBucketObjectLockConfiguration",
          "s3:PutBucketPolicy",
          "s3:DeleteBucketPolicy",
          "s3:DeleteBucket");

  /**
   * @param purpose what the bucket holds (for humans, in the construct path)
   * @param noncurrentVersionDays days noncurrent versions are kept; 0 = kept until deleted by hand
   * @param lockDays Object Lock compliance-mode default retention; 0 = no Object Lock
   * @param breakGlassRoleArn the only principal allowed {@link #PROTECTED_ACTIONS}; null = no such
   *     policy
   * @param requestMetrics S3 request-metrics filters: filter id → key prefix (AWS's own measurement
   *     of the bucket's traffic, published to AWS/S3)
   * @param writeOncePrefix key prefix (e.g. {@code releases/}) whose objects, once written, no one
   *     can overwrite or delete: uploads must carry If-None-Match; null = none
   */
  public record Props(
      String purpose,
      int noncurrentVersionDays,
      int lockDays,
      String breakGlassRoleArn,
      Map<String, String> requestMetrics,
      String writeOncePrefix) {
    public Props {
      if (writeOncePrefix != null && !writeOncePrefix.matches("[a-z0-9-]+/")) {
        throw new IllegalArgumentException(
            "writeOncePrefix is invalid: " + writeOncePrefix + ": expected e.g. releases/");
      }
      Objects.requireNonNull(purpose, "purpose");
      requestMetrics = requestMetrics == null ? Map.of() : Ordered.copyOf(requestMetrics);
      if (noncurrentVersionDays != 0 && noncurrentVersionDays < 30) {
        throw new IllegalArgumentException(
            "noncurrentVersionDays is invalid: "
                + noncurrentVersionDays
                + ": expected 0 (keep) or at least 30");
      }
      if (lockDays < 0 || lockDays > 3_650) {
        throw new IllegalArgumentException(
            "lockDays is invalid: " + lockDays + ": expected 0 (no lock) to 3650");
      }
    }
  }

  private final Bucket bucket;

  public ArtifactBucket(Construct scope, String id, Props props) {
    super(scope, id);
    List<LifecycleRule> rules = new ArrayList<>();
    rules.add(
        LifecycleRule.builder()
            .id("abort-incomplete-uploads")
            .abortIncompleteMultipartUploadAfter(Duration.days(7))
            .build());
    if (props.noncurrentVersionDays() > 0) {
      rules.add(
          LifecycleRule.builder()
              .id("expire-noncurrent-versions")
              .noncurrentVersionExpiration(Duration.days(props.noncurrentVersionDays()))
              .build());
    }
    Bucket.Builder builder = Bucket.Builder.create(this, "Bucket");
    if (props.lockDays() > 0) {
      builder
          .objectLockEnabled(true)
          .objectLockDefaultRetention(
              ObjectLockRetention.compliance(Duration.days(props.lockDays())));
    }
    builder.metrics(
        props.requestMetrics().entrySet().stream()
            .map(e -> BucketMetrics.builder().id(e.getKey()).prefix(e.getValue()).build())
            .toList());
    bucket =
        builder
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
      bucket.addToResourcePolicy(
          PolicyStatement.Builder.create()
              .sid("DenyHistoryAndProtectionChangesButBreakGlass")
              .effect(Effect.DENY)
              .principals(List.of(new AnyPrincipal()))
              .actions(PROTECTED_ACTIONS)
              .resources(List.of(bucket.getBucketArn(), bucket.arnForObjects("*")))
              .conditions(
                  Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", props.breakGlassRoleArn())))
              .build());
    }
    if (props.writeOncePrefix() != null) {
      // S3 conditional writes: an upload without If-None-Match (which fails when the key exists)
      // is refused, so a published object can never be replaced; multipart parts carry no
      // conditional header and are exempt (their CompleteMultipartUpload is not).
      bucket.addToResourcePolicy(
          PolicyStatement.Builder.create()
              .sid("DenyOverwritingWriteOnceObjects")
              .effect(Effect.DENY)
              .principals(List.of(new AnyPrincipal()))
              .actions(List.of("s3:PutObject"))
              .resources(List.of(bucket.arnForObjects(props.writeOncePrefix() + "*")))
              .conditions(
                  Ordered.map(
                      "Null", Map.of("s3:if-none-match", "true"),
                      "StringNotEquals",
                          Map.of(
                              "s3:ObjectCreationOperation",
                              List.of("CreateMultipartUpload", "UploadPart", "UploadPartCopy"))))
              .build());
      // Nor deleted and then written again under the same key.
      bucket.addToResourcePolicy(
          PolicyStatement.Builder.create()
              .sid("DenyDeletingWriteOnceObjects")
              .effect(Effect.DENY)
              .principals(List.of(new AnyPrincipal()))
              .actions(List.of("s3:DeleteObject", "s3:DeleteObjectVersion"))
              .resources(List.of(bucket.arnForObjects(props.writeOncePrefix() + "*")))
              .build());
    }
  }

  public Bucket bucket() {
    return bucket;
  }
}
