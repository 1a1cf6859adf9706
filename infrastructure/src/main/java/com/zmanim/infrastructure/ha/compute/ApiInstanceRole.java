package com.zmanim.infrastructure.ha.compute;

import static com.zmanim.infrastructure.compute.IamStatements.allow;

import com.zmanim.infrastructure.Ordered;
import com.zmanim.infrastructure.compute.IamStatements;
import com.zmanim.infrastructure.naming.Naming;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * The role of the {@code ha} profile's API instances (role {@code api}): no volume, no address, no
 * backups bucket. It may read the parameters it names under the prefix (API and cache passwords,
 * origin secret, release; nothing of the single instance's backups), the database administrator's
 * secret, release artifacts; send mail from the identity, write its metrics and its two log groups
 * (CloudWatch agent), signal its stack, and run the SSM agent. No managed policy (as ADR 0011).
 */
public final class ApiInstanceRole extends Construct {

  /**
   * @param stackId ARN of the stack whose group the instances signal
   * @param databaseSecretArn the RDS-managed administrator secret (token)
   * @param releasesBucket name of the releases bucket (token)
   * @param ssmPrefix {@code /zmanim/prod}
   * @param parameters the names under {@code ssmPrefix} the instances may read (and decrypt), no
   *     other
   * @param sesIdentity SES identity the instances may send from
   * @param notifyFrom the only From address allowed
   * @param notifyTo the only recipient allowed (the alarm address)
   * @param metricsNamespace the API's metrics namespace
   * @param agentNamespace the CloudWatch agent's metrics namespace
   * @param agentConfigParameter the agent's configuration parameter (name without a slash)
   * @param logGroupArns the log groups the agent ships to
   * @param migrationSource the backups bucket (token) whose restic repository the instances may
   *     read while the single profile's data moves in (config {@code haMigrationRestore}, ADR
   *     0016); empty: no access to it at all
   */
  public record Props(
      String stackId,
      String databaseSecretArn,
      String releasesBucket,
      String ssmPrefix,
      List<String> parameters,
      String sesIdentity,
      String notifyFrom,
      String notifyTo,
      String metricsNamespace,
      String agentNamespace,
      String agentConfigParameter,
      List<String> logGroupArns,
      Optional<String> migrationSource) {
    public Props {
      if (parameters == null
          || parameters.isEmpty()
          || !parameters.stream().allMatch(n -> n.matches("[a-z0-9-]+"))) {
        throw new IllegalArgumentException(
            "parameters is invalid: " + parameters + ": expected names such as redis-password");
      }
      parameters = List.copyOf(parameters);
      Objects.requireNonNull(agentNamespace, "agentNamespace");
      IamStatements.requireAgentInputs(agentConfigParameter, logGroupArns);
      Objects.requireNonNull(migrationSource, "migrationSource");
      Objects.requireNonNull(stackId, "stackId");
      Objects.requireNonNull(databaseSecretArn, "databaseSecretArn");
      Objects.requireNonNull(releasesBucket, "releasesBucket");
      Objects.requireNonNull(sesIdentity, "sesIdentity");
      Objects.requireNonNull(notifyFrom, "notifyFrom");
      Objects.requireNonNull(notifyTo, "notifyTo");
      Objects.requireNonNull(metricsNamespace, "metricsNamespace");
      if (ssmPrefix == null || !ssmPrefix.startsWith("/") || ssmPrefix.endsWith("/")) {
        throw new IllegalArgumentException(
            "ssmPrefix is invalid: " + ssmPrefix + ": expected /a/b");
      }
    }
  }

  private final Role role;

  public ApiInstanceRole(Construct scope, String id, Props props) {
    super(scope, id);
    role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
            .description(
                "zmanim ha API instance: read its parameters and the database secret, signal, notify")
            .inlinePolicies(
                Map.of(
                    "zmanim-ha-api",
                    PolicyDocument.Builder.create().statements(statements(props)).build()))
            .build();
  }

  public Role role() {
    return role;
  }

  private static List<PolicyStatement> statements(Props p) {
    String regionAccount = Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
    String prefixArn = IamStatements.parameterArn(p.ssmPrefix());
    String releases = "arn:" + Aws.PARTITION + ":s3:::" + p.releasesBucket();
    Map<String, Object> thisRegion =
        Map.of("StringEquals", Map.of("aws:RequestedRegion", Aws.REGION));
    List<PolicyStatement> s = new ArrayList<>();
    s.add(
        allow(
            "SignalThisStack",
            List.of("cloudformation:SignalResource"),
            List.of(p.stackId()),
            null));
    // The boot reads the administrator's current password (RDS rotates it) to create the API's
    // role,
    // database and extension; the secret uses the aws/secretsmanager key, which needs no kms grant.
    s.add(
        allow(
            "ReadDatabaseAdminSecret",
            List.of("secretsmanager:GetSecretValue"),
            List.of(p.databaseSecretArn()),
            null));
    // The parameters it names, not the prefix: the single instance's backup keys live there too.
    List<String> own = p.parameters().stream().map(n -> prefixArn + "/" + n).toList();
    s.add(allow("ReadOwnParameters", List.of("ssm:GetParameter", "ssm:GetParameters"), own, null));
    s.add(
        allow(
            "DecryptOwnParametersViaSsm",
            List.of("kms:Decrypt"),
            List.of("arn:" + Aws.PARTITION + ":kms:" + regionAccount + "key/*"),
            Map.of(
                "StringEquals",
                Ordered.map(
                    "kms:ViaService",
                    "ssm." + Aws.REGION + ".amazonaws.com",
                    "kms:EncryptionContext:PARAMETER_ARN",
                    own))));
    s.add(
        allow(
            "ReleasesRead",
            List.of("s3:ListBucket", "s3:GetBucketLocation"),
            List.of(releases),
            null));
    s.add(allow("ReleasesObjectsRead", List.of("s3:GetObject"), List.of(releases + "/*"), null));
    s.add(IamStatements.sendNotifications(p.sesIdentity(), p.notifyFrom(), p.notifyTo()));
    s.add(IamStatements.putAppMetrics(p.metricsNamespace(), p.agentNamespace()));
    s.add(IamStatements.readAgentConfig(p.agentConfigParameter()));
    s.add(IamStatements.writeAppLogs(p.logGroupArns()));
    p.migrationSource()
        .ifPresent(
            bucket -> {
              // The migration (ADR 0016): read-only access to the restic repository, for
              // zmanim-migrate-restore
              // (restic --no-lock: no lock object is written). Nothing else of the backups bucket.
              String backups = "arn:" + Aws.PARTITION + ":s3:::" + bucket;
              s.add(
                  allow(
                      "MigrationResticList",
                      List.of("s3:ListBucket"),
                      List.of(backups),
                      Map.of(
                          "StringLike", Map.of("s3:prefix", List.of(Naming.RESTIC_PREFIX + "*")))));
              s.add(
                  allow(
                      "MigrationBucketLocation",
                      List.of("s3:GetBucketLocation"),
                      List.of(backups),
                      null));
              s.add(
                  allow(
                      "MigrationResticRead",
                      List.of("s3:GetObject"),
                      List.of(backups + "/" + Naming.RESTIC_PREFIX + "*"),
                      null));
            });
    s.addAll(
        IamStatements.ssmAgent("arn:" + Aws.PARTITION + ":ec2:" + regionAccount + "instance/*"));
    return s;
  }
}
