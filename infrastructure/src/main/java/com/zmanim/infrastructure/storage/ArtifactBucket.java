package com.zmanim.infrastructure.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * A private bucket: versioned, encrypted (SSE-S3), public access blocked, TLS-only bucket policy,
 * retained when the stack is deleted. With {@code noncurrentVersionDays} set, overwritten or
 * deleted objects stay recoverable that long (the instance cannot delete versions).
 */
public final class ArtifactBucket extends Construct {

  /**
   * @param purpose               what the bucket holds (for humans, in the construct path)
   * @param noncurrentVersionDays days noncurrent versions are kept; 0 = kept until deleted by hand
   */
  public record Props(String purpose, int noncurrentVersionDays) {
    public Props {
      Objects.requireNonNull(purpose, "purpose");
      if (noncurrentVersionDays != 0 && noncurrentVersionDays < 30) {
        throw new IllegalArgumentException("noncurrentVersionDays is invalid: " + noncurrentVersionDays
            + ": expected 0 (keep) or at least 30");
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
    bucket = Bucket.Builder.create(this, "Bucket")
        .versioned(true)
        .encryption(BucketEncryption.S3_MANAGED)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
        .lifecycleRules(rules)
        .removalPolicy(RemovalPolicy.RETAIN)
        .build();
  }

  public Bucket bucket() {
    return bucket;
  }
}
