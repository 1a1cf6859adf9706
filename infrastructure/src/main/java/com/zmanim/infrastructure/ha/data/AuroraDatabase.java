package com.zmanim.infrastructure.ha.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.rds.AuroraPostgresClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraPostgresEngineVersion;
import software.amazon.awscdk.services.rds.BackupProps;
import software.amazon.awscdk.services.rds.CfnDBCluster;
import software.amazon.awscdk.services.rds.ClusterInstance;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseCluster;
import software.amazon.awscdk.services.rds.DatabaseClusterEngine;
import software.amazon.awscdk.services.rds.ServerlessV2ClusterInstanceProps;
import software.constructs.Construct;

/**
 * Aurora PostgreSQL 17 (Serverless v2, ADR 0014): a writer and a reader in the other AZ that scales
 * with it (fail-over in about half a minute instead of rebuilding a writer), storage encrypted and
 * replicated over three AZs by Aurora, automated backups with point-in-time recovery over the
 * retention window, deletion protection, TLS forced, and the administrator's password created,
 * stored and rotated by RDS in Secrets Manager (it never passes through the template or this app).
 */
public final class AuroraDatabase extends Construct {

  /** Aurora's longest automated-backup retention. */
  public static final int MAX_BACKUP_RETENTION_DAYS = 35;

  /**
   * @param vpc the ha VPC (imported); the cluster goes into its isolated subnets
   * @param securityGroup admits the API instances only
   * @param port the database port
   * @param clusterIdentifier the cluster's name (also its log group's)
   * @param adminUsername the RDS-managed administrator (the boot creates the API's own role)
   * @param backupRetentionDays automated backups and the PITR window, 1-35 days
   * @param minAcu Serverless v2 minimum capacity, 0.5-256 (0.5 steps); 0 (auto-pause) is refused
   * @param maxAcu Serverless v2 maximum capacity, >= minAcu
   * @param logRetentionDays retention of the cluster's PostgreSQL log group
   * @param writerAz the writer's AZ
   * @param readerAz the reader's AZ: another one, so that losing an AZ leaves an instance to fail
   *     over to
   */
  public record Props(
      IVpc vpc,
      ISecurityGroup securityGroup,
      int port,
      String clusterIdentifier,
      String adminUsername,
      int backupRetentionDays,
      double minAcu,
      double maxAcu,
      int logRetentionDays,
      String writerAz,
      String readerAz) {
    public Props {
      Objects.requireNonNull(writerAz, "writerAz");
      Objects.requireNonNull(readerAz, "readerAz");
      if (writerAz.equals(readerAz)) {
        throw new IllegalArgumentException(
            "readerAz is invalid: " + readerAz + ": must differ from writerAz");
      }
      Objects.requireNonNull(vpc, "vpc");
      Objects.requireNonNull(securityGroup, "securityGroup");
      Objects.requireNonNull(clusterIdentifier, "clusterIdentifier");
      if (adminUsername == null
          || !adminUsername.matches("[a-z][a-z0-9_]{0,62}")
          || adminUsername.equals("zmanim")) {
        throw new IllegalArgumentException(
            "adminUsername is invalid: "
                + adminUsername
                + ": a lowercase PostgreSQL name other than zmanim (the API's own role)");
      }
      if (backupRetentionDays < 1 || backupRetentionDays > MAX_BACKUP_RETENTION_DAYS) {
        throw new IllegalArgumentException(
            "backupRetentionDays is invalid: "
                + backupRetentionDays
                + ": Aurora keeps 1 to "
                + MAX_BACKUP_RETENTION_DAYS
                + " days");
      }
      // 0 ACU pauses the cluster when idle; resuming takes seconds, longer than the API's 2 s
      // health probe, so a quiet night would turn into failed health checks and replaced instances.
      if (minAcu < 0.5 || minAcu * 2 != Math.rint(minAcu * 2) || maxAcu < minAcu || maxAcu > 256) {
        throw new IllegalArgumentException(
            "minAcu/maxAcu are invalid: "
                + minAcu
                + "/"
                + maxAcu
                + ": 0.5 <= min <= max <= 256 in 0.5 steps (no auto-pause)");
      }
    }
  }

  private final DatabaseCluster cluster;
  private final LogGroup logGroup;

  public AuroraDatabase(Construct scope, String id, Props p) {
    super(scope, id);
    // RDS creates this group on the first log line with no retention: created here first, retained.
    logGroup =
        LogGroup.Builder.create(this, "PostgresqlLog")
            .logGroupName("/aws/rds/cluster/" + p.clusterIdentifier() + "/postgresql")
            .retention(RetentionDays.THREE_MONTHS)
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    ((CfnLogGroup) logGroup.getNode().getDefaultChild()).setRetentionInDays(p.logRetentionDays());

    cluster =
        DatabaseCluster.Builder.create(this, "Cluster")
            .engine(
                DatabaseClusterEngine.auroraPostgres(
                    AuroraPostgresClusterEngineProps.builder()
                        .version(AuroraPostgresEngineVersion.VER_17_4)
                        .build()))
            .clusterIdentifier(p.clusterIdentifier())
            .vpc(p.vpc())
            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
            .securityGroups(List.of(p.securityGroup()))
            .port(p.port())
            .credentials(Credentials.fromUsername(p.adminUsername()))
            .manageMasterUserPassword(true)
            .writer(
                ClusterInstance.serverlessV2(
                    "Writer",
                    ServerlessV2ClusterInstanceProps.builder()
                        .availabilityZone(p.writerAz())
                        .publiclyAccessible(false)
                        .autoMinorVersionUpgrade(true)
                        .build()))
            .readers(
                List.of(
                    ClusterInstance.serverlessV2(
                        "Reader",
                        ServerlessV2ClusterInstanceProps.builder()
                            .availabilityZone(p.readerAz())
                            .publiclyAccessible(false)
                            .autoMinorVersionUpgrade(true)
                            // Promotion tier 1: it always has the writer's capacity, so a fail-over
                            // does not
                            // start on a cold, minimum-sized instance.
                            .scaleWithWriter(true)
                            .build())))
            .serverlessV2MinCapacity(p.minAcu())
            .serverlessV2MaxCapacity(p.maxAcu())
            .storageEncrypted(true)
            .backup(
                BackupProps.builder()
                    .retention(Duration.days(p.backupRetentionDays()))
                    .preferredWindow("02:00-02:30")
                    .build())
            .preferredMaintenanceWindow("sun:04:30-sun:05:00")
            .deletionProtection(true)
            .removalPolicy(RemovalPolicy.SNAPSHOT)
            .copyTagsToSnapshot(true)
            .cloudwatchLogsExports(List.of("postgresql"))
            // Clients must use TLS (the API connects with sslmode=require).
            .parameters(Map.of("rds.force_ssl", "1"))
            .build();
    cluster.getNode().addDependency(logGroup);
  }

  public DatabaseCluster cluster() {
    return cluster;
  }

  /**
   * The cluster's PostgreSQL log group (created here with a retention, before RDS would create it).
   */
  public LogGroup logGroup() {
    return logGroup;
  }

  /** The writer endpoint's host name. */
  public String endpoint() {
    return cluster.getClusterEndpoint().getHostname();
  }

  /** ARN of the administrator's secret, created and rotated by RDS. */
  public String adminSecretArn() {
    return ((CfnDBCluster) cluster.getNode().getDefaultChild()).getAttrMasterUserSecretSecretArn();
  }
}
