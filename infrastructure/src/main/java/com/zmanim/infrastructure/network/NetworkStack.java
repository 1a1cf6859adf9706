package com.zmanim.infrastructure.network;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.nag.Acknowledge;
import com.zmanim.infrastructure.naming.Naming;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.constructs.Construct;

/**
 * {@code ZmanimProdNetwork}: the VPC and the instance's security group. Exports the VPC, the
 * instance's subnet, that subnet's AZ (where the data volume lives) and the security group.
 */
public final class NetworkStack extends Stack {

  public NetworkStack(
      Construct scope, String id, StackProps props, ZmanimConfig config, Naming naming) {
    super(scope, id, props);
    naming.tag(this, "network");

    AppNetwork network =
        new AppNetwork(
            this,
            "Network",
            new AppNetwork.Props(
                config.vpcCidr(), ZmanimConfig.AVAILABILITY_ZONES, naming.resourceName("vpc")));
    Acknowledge.rule(
        network,
        "AwsSolutions-VPC7",
        "No VPC flow logs: the only inbound path is the API port from CloudFront's prefix list, "
            + "there is no SSH, and the API logs every request; flow logs would cost more than the "
            + "instance's other logs for no extra signal. Enable them when a second workload arrives.");

    ApiSecurityGroup group =
        new ApiSecurityGroup(
            this,
            "ApiSecurityGroup",
            new ApiSecurityGroup.Props(
                network.vpc(),
                config.apiPort(),
                CloudFrontPrefixLists.ingressSource(this, config.apiIngressSource()),
                naming.resourceName("api")));

    export(naming, Naming.VPC_ID, network.vpc().getVpcId(), "the VPC");
    // Every AZ's subnet, so that moving the instance and its data volume to another AZ
    // (dataVolumeAz) is a compute-stack change only.
    List<ISubnet> subnets = network.vpc().getPublicSubnets();
    for (int i = 0; i < subnets.size(); i++) {
      export(
          naming,
          Naming.subnetIdExport(i),
          subnets.get(i).getSubnetId(),
          "the public subnet of AZ index " + i + " (dataVolumeAz), where the instance may run");
      export(
          naming,
          Naming.subnetAzExport(i),
          subnets.get(i).getAvailabilityZone(),
          "the AZ of that subnet, where the data volume then lives");
    }
    export(
        naming,
        Naming.SECURITY_GROUP_ID,
        group.group().getSecurityGroupId(),
        "the instance's security group");
  }

  private void export(Naming naming, String name, String value, String description) {
    CfnOutput.Builder.create(this, name)
        .value(value)
        .exportName(naming.exportName(name))
        .description("Imported by the compute stack: " + description)
        .build();
  }
}
