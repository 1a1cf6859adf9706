package com.zmanim.infrastructure.storage;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.nag.Acknowledge;
import com.zmanim.infrastructure.nag.CheckovSkip;
import com.zmanim.infrastructure.naming.Naming;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * {@code ZmanimProdStorage}: the backups bucket (restic and pgBackRest repositories, Object Lock in
 * compliance mode, its protection reserved to a break-glass role) and the releases bucket (API
 * artifacts). Both names are exported for the compute stack. Buckets are retained on deletion.
 */
public final class StorageStack extends Stack {

  public StorageStack(
      Construct scope, String id, StackProps props, ZmanimConfig config, Naming naming) {
    super(scope, id, props);
    naming.tag(this, "storage");

    String breakGlassName = naming.resourceName("backups-break-glass");
    String breakGlassArn =
        "arn:" + Aws.PARTITION + ":iam::" + Aws.ACCOUNT_ID + ":role/" + breakGlassName;
    ArtifactBucket backups =
        new ArtifactBucket(
            this,
            "Backups",
            new ArtifactBucket.Props(
                "restic and pgBackRest repositories",
                config.backupNoncurrentDays(),
                config.backupLockDays(),
                breakGlassArn,
                Map.of(Naming.PGBACKREST_METRICS_FILTER, Naming.PGBACKREST_PREFIX),
                null));
    BreakGlassRole breakGlass =
        new BreakGlassRole(
            this,
            "BackupsBreakGlass",
            new BreakGlassRole.Props(
                breakGlassName, backups.bucket().getBucketArn(), ArtifactBucket.PROTECTED_ACTIONS));
    String bucketLogicalId =
        getLogicalId((CfnElement) backups.bucket().getNode().getDefaultChild());
    Acknowledge.rule(
        breakGlass,
        "AwsSolutions-IAM5[Resource::<" + bucketLogicalId + ".Arn>/*]",
        "The break-glass role may delete any unlocked object version of the backups bucket (object keys "
            + "are not known in advance); it is assumable only with MFA, for an hour, by hand.");
    ArtifactBucket releases =
        new ArtifactBucket(
            this,
            "Releases",
            new ArtifactBucket.Props(
                "API release artifacts", 0, 0, null, null, Naming.RELEASES_PREFIX));
    String accessLogsReason =
        "No S3 server access logs: one instance role is the only writer and "
            + "reader; restic's repository is checked by the weekly restore drill; access logs would "
            + "need a third bucket and add noise. CloudTrail data events can be enabled if needed.";
    Acknowledge.rule(backups, "AwsSolutions-S1", accessLogsReason);
    Acknowledge.rule(releases, "AwsSolutions-S1", accessLogsReason);
    CheckovSkip.on(backups.bucket(), "CKV_AWS_18", accessLogsReason);
    CheckovSkip.on(releases.bucket(), "CKV_AWS_18", accessLogsReason);

    CfnOutput.Builder.create(this, Naming.BACKUPS_BUCKET)
        .value(backups.bucket().getBucketName())
        .exportName(naming.exportName(Naming.BACKUPS_BUCKET))
        .description("restic repository bucket (imported by the compute stack)")
        .build();
    CfnOutput.Builder.create(this, "BackupsBreakGlassRoleArn")
        .value(breakGlass.role().getRoleArn())
        .description("the only role that may change the backups bucket's protection (ADR 0010)")
        .build();
    CfnOutput.Builder.create(this, Naming.RELEASES_BUCKET)
        .value(releases.bucket().getBucketName())
        .exportName(naming.exportName(Naming.RELEASES_BUCKET))
        .description("API release artifacts bucket (imported by the compute stack)")
        .build();
  }
}
