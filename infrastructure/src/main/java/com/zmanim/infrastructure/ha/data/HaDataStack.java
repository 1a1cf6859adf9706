package com.zmanim.infrastructure.ha.data;

import com.zmanim.infrastructure.Ordered;
import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.ha.network.HaNetworkStack;
import com.zmanim.infrastructure.nag.Acknowledge;
import com.zmanim.infrastructure.nag.CheckovSkip;
import com.zmanim.infrastructure.naming.Naming;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupImportOptions;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.constructs.Construct;

/**
 * {@code ZmanimProdHaData} (profile {@code ha}): Aurora PostgreSQL and ElastiCache in the ha VPC's
 * isolated subnets. Exports where the API instances find them: the database endpoint, port and
 * administrator secret, the cache endpoint and port. State lives here, apart from the instances.
 */
public final class HaDataStack extends Stack {

  /**
   * Serverless v2 capacity: 0.5 ACU (1 GiB) idles at the lowest price without pausing (ADR 0014).
   */
  public static final double MIN_ACU = 0.5;

  public static final double MAX_ACU = 4;
  public static final String CACHE_NODE_TYPE = "cache.t4g.micro";

  /** The RDS-managed administrator; the API connects as its own role {@code zmanim}. */
  public static final String ADMIN_USERNAME = "zmanim_admin";

  public HaDataStack(
      Construct scope, String id, StackProps props, ZmanimConfig config, Naming naming) {
    super(scope, id, props);
    naming.tag(this, "ha-data");
    getTemplateOptions()
        .setDescription("zmanim, profile ha: Aurora PostgreSQL and ElastiCache (Valkey)");

    List<String> azs = new ArrayList<>();
    List<String> isolated = new ArrayList<>();
    for (int i = 0; i < ZmanimConfig.AVAILABILITY_ZONES; i++) {
      azs.add(Fn.importValue(naming.exportName(Naming.haSubnetAzExport(i))));
      isolated.add(Fn.importValue(naming.exportName(Naming.haSubnetIdExport("Isolated", i))));
    }
    IVpc vpc =
        Vpc.fromVpcAttributes(
            this,
            "Vpc",
            VpcAttributes.builder()
                .vpcId(Fn.importValue(naming.exportName(Naming.HA_VPC_ID)))
                .availabilityZones(azs)
                .isolatedSubnetIds(isolated)
                .build());
    Annotations.of(vpc)
        .acknowledgeWarning(
            "@aws-cdk/aws-ec2:noSubnetRouteTableId",
            "The data stack only places subnet groups in the subnets; it never reads their route tables.");

    AuroraDatabase database =
        new AuroraDatabase(
            this,
            "Database",
            new AuroraDatabase.Props(
                vpc,
                SecurityGroup.fromSecurityGroupId(
                    this,
                    "DatabaseGroup",
                    Fn.importValue(naming.exportName(Naming.HA_DATABASE_SECURITY_GROUP_ID)),
                    SecurityGroupImportOptions.builder().mutable(false).build()),
                HaNetworkStack.DATABASE_PORT,
                naming.haResourceName("db"),
                ADMIN_USERNAME,
                config.pitrRetentionDays(),
                MIN_ACU,
                MAX_ACU,
                config.logRetentionDays(),
                azs.get(0),
                azs.get(1)));
    String iamAuthReason =
        "No IAM database authentication: the API connects with a password through a "
            + "connection pool whose connections outlive IAM's 15-minute tokens; the database is reachable "
            + "only from the API instances' security group and TLS is forced.";
    CheckovSkip.on(database.cluster(), "CKV_AWS_162", iamAuthReason);
    for (String instance : List.of("Writer", "Reader")) {
      CheckovSkip.on(
          database.cluster().getNode().findChild(instance),
          "CKV_AWS_118",
          "No enhanced monitoring: it needs a role with the managed AmazonRDSEnhancedMonitoringRole policy and "
              + "bills its per-second OS metrics as logs; Aurora's own one-minute CloudWatch metrics "
              + "(ServerlessDatabaseCapacity, CPU, connections) answer this service's questions.");
    }
    CheckovSkip.on(
        database.logGroup(),
        "CKV_AWS_158",
        "The PostgreSQL log group uses CloudWatch Logs' default encryption at rest; a customer-managed KMS key "
            + "would add a key policy to maintain for logs that carry no secret.");
    Acknowledge.rules(
        database,
        Ordered.map(
            "AwsSolutions-RDS6",
            iamAuthReason,
            "AwsSolutions-RDS11",
            "The default port: a non-default one hides nothing from a client that can reach "
                + "the isolated subnets, which only the API instances' security group can."));

    CacheReplicationGroup cache =
        new CacheReplicationGroup(
            this,
            "Cache",
            new CacheReplicationGroup.Props(
                naming.haResourceName("cache"),
                CACHE_NODE_TYPE,
                isolated,
                azs,
                Fn.importValue(naming.exportName(Naming.HA_CACHE_SECURITY_GROUP_ID)),
                config.ssmPrefix() + "/redis-password"));
    Acknowledge.rule(
        cache,
        "AwsSolutions-AEC5",
        "The default port: a non-default one hides nothing from a client that can reach the isolated "
            + "subnets, which only the API instances' security group can; TLS and AUTH are required.");

    export(naming, Naming.HA_DATABASE_ENDPOINT, database.endpoint(), "Aurora's writer endpoint");
    export(
        naming,
        Naming.HA_DATABASE_PORT,
        Token.asString(database.cluster().getClusterEndpoint().getPort()),
        "Aurora's port");
    export(
        naming,
        Naming.HA_DATABASE_SECRET_ARN,
        database.adminSecretArn(),
        "the RDS-managed administrator secret (Secrets Manager), read by the boot to create the API's role");
    export(
        naming,
        Naming.HA_CACHE_ENDPOINT,
        cache.endpoint(),
        "ElastiCache's primary endpoint (TLS, AUTH)");
    export(
        naming,
        Naming.HA_CACHE_PORT,
        Integer.toString(CacheReplicationGroup.PORT),
        "ElastiCache's port");
  }

  private void export(Naming naming, String name, String value, String description) {
    CfnOutput.Builder.create(this, name)
        .value(value)
        .exportName(naming.exportName(name))
        .description("Profile ha: " + description)
        .build();
  }
}
