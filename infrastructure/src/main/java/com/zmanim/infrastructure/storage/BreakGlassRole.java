package com.zmanim.infrastructure.storage;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

/**
 * The one role the backups bucket's policy lets change the bucket's protection (versioning,
 * lifecycle, Object Lock configuration, the policy itself) or delete object versions that are no
 * longer locked. Assumable by the account's administrators only with MFA, for an hour; used by
 * hand, in the procedure of ADR 0010, never by a program. Object Lock's compliance retention binds
 * it too.
 */
public final class BreakGlassRole extends Construct {

  /**
   * @param roleName the fixed name the bucket policy names (so it needs no reference to this role)
   * @param bucketArn the backups bucket's ARN (token)
   * @param actions the actions the bucket policy reserves for this role
   */
  public record Props(String roleName, String bucketArn, List<String> actions) {
    public Props {
      Objects.requireNonNull(roleName, "roleName");
      Objects.requireNonNull(bucketArn, "bucketArn");
      if (actions == null || actions.isEmpty() || actions.stream().anyMatch(a -> a.contains("*"))) {
        throw new IllegalArgumentException(
            "actions is invalid: " + actions + ": named S3 actions, no wildcard");
      }
      actions = List.copyOf(actions);
    }
  }

  private final Role role;

  public BreakGlassRole(Construct scope, String id, Props props) {
    super(scope, id);
    role =
        Role.Builder.create(this, "Role")
            .roleName(props.roleName())
            .description(
                "Break-glass: change the backups bucket's protection or delete unlocked versions (ADR 0010)")
            .assumedBy(
                new AccountRootPrincipal()
                    .withConditions(Map.of("Bool", Map.of("aws:MultiFactorAuthPresent", "true"))))
            .maxSessionDuration(Duration.hours(1))
            .inlinePolicies(
                Map.of(
                    "backups-bucket-protection",
                    PolicyDocument.Builder.create()
                        .statements(
                            List.of(
                                PolicyStatement.Builder.create()
                                    .sid("ChangeProtection")
                                    .effect(Effect.ALLOW)
                                    .actions(props.actions())
                                    .resources(List.of(props.bucketArn(), props.bucketArn() + "/*"))
                                    .build(),
                                PolicyStatement.Builder.create()
                                    .sid("ReadProtection")
                                    .effect(Effect.ALLOW)
                                    .actions(
                                        List.of(
                                            "s3:GetBucketVersioning",
                                            "s3:GetLifecycleConfiguration",
                                            "s3:GetBucketObjectLockConfiguration",
                                            "s3:GetBucketPolicy",
                                            "s3:ListBucketVersions"))
                                    .resources(List.of(props.bucketArn()))
                                    .build()))
                        .build()))
            .build();
  }

  public Role role() {
    return role;
  }
}
