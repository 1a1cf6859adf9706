package com.zmanim.infrastructure.ha.network;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.ha.data.CacheReplicationGroup;
import com.zmanim.infrastructure.nag.Acknowledge;
import com.zmanim.infrastructure.naming.Naming;
import com.zmanim.infrastructure.network.CloudFrontPrefixLists;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.constructs.Construct;

/**
 * {@code ZmanimProdHaNetwork} (profile {@code ha}): the VPC over two AZs and the four chained
 * security groups. Exports the VPC, every subnet and AZ, and the groups for the data and compute
 * stacks.
 */
public final class HaNetworkStack extends Stack {

  /**
   * The port CloudFront connects to on the load balancer (HTTP, as to the single instance today).
   */
  public static final int LISTENER_PORT = 80;

  public static final int DATABASE_PORT = 5432;

  public HaNetworkStack(
      Construct scope, String id, StackProps props, ZmanimConfig config, Naming naming) {
    super(scope, id, props);
    naming.tag(this, "ha-network");
    setTemplateOptions();

    HaNetwork network =
        new HaNetwork(
            this,
            "Network",
            new HaNetwork.Props(
                config.haVpcCidr(), ZmanimConfig.AVAILABILITY_ZONES, naming.haResourceName("vpc")));
    Acknowledge.rule(
        network,
        "AwsSolutions-VPC7",
        "No VPC flow logs: the only inbound path is CloudFront's prefix list to the load balancer, the "
            + "tiers behind it admit only the tier in front, and the API logs every request; flow logs "
            + "would add cost and no signal. Enable them when a second workload shares the VPC.");

    HaSecurityGroups groups =
        new HaSecurityGroups(
            this,
            "SecurityGroups",
            new HaSecurityGroups.Props(
                network.vpc(),
                CloudFrontPrefixLists.ingressSource(this, config.apiIngressSource()),
                LISTENER_PORT,
                config.apiPort(),
                DATABASE_PORT,
                CacheReplicationGroup.PORT,
                naming.haResourceName("")));

    export(naming, Naming.HA_VPC_ID, network.vpc().getVpcId(), "the ha VPC");
    exportSubnets(naming, "Public", network.vpc().getPublicSubnets());
    exportSubnets(naming, "Isolated", network.vpc().getIsolatedSubnets());
    export(
        naming,
        Naming.HA_ALB_SECURITY_GROUP_ID,
        groups.alb().getSecurityGroupId(),
        "the load balancer's group");
    export(
        naming,
        Naming.HA_APP_SECURITY_GROUP_ID,
        groups.app().getSecurityGroupId(),
        "the API instances' group");
    export(
        naming,
        Naming.HA_DATABASE_SECURITY_GROUP_ID,
        groups.database().getSecurityGroupId(),
        "Aurora's group");
    export(
        naming,
        Naming.HA_CACHE_SECURITY_GROUP_ID,
        groups.cache().getSecurityGroupId(),
        "ElastiCache's group");
  }

  private void setTemplateOptions() {
    getTemplateOptions()
        .setDescription("zmanim, profile ha: VPC over two AZs and the chained security groups");
  }

  private void exportSubnets(Naming naming, String kind, List<ISubnet> subnets) {
    for (int i = 0; i < subnets.size(); i++) {
      export(
          naming,
          Naming.haSubnetIdExport(kind, i),
          subnets.get(i).getSubnetId(),
          "the " + kind.toLowerCase(java.util.Locale.ROOT) + " subnet of AZ index " + i);
      if (kind.equals("Public")) {
        export(
            naming,
            Naming.haSubnetAzExport(i),
            subnets.get(i).getAvailabilityZone(),
            "the AZ of index " + i);
      }
    }
  }

  private void export(Naming naming, String name, String value, String description) {
    CfnOutput.Builder.create(this, name)
        .value(value)
        .exportName(naming.exportName(name))
        .description("Profile ha: " + description)
        .build();
  }
}
