package com.zmanim.infrastructure.network;

import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

/**
 * The VPC: public subnets only (the instance has an Elastic IP and talks to AWS APIs directly), no
 * NAT gateway (nothing private to route), and an S3 gateway endpoint so that backups and releases
 * never leave the AWS network and cost no data-transfer charges.
 */
public final class AppNetwork extends Construct {

  /**
   * @param cidr the VPC's IPv4 range
   * @param maxAzs how many AZs get a public subnet (the instance uses the first)
   * @param vpcName the VPC's Name tag
   */
  public record Props(String cidr, int maxAzs, String vpcName) {
    public Props {
      Objects.requireNonNull(cidr, "cidr");
      Objects.requireNonNull(vpcName, "vpcName");
      if (maxAzs < 1 || maxAzs > 3) {
        throw new IllegalArgumentException("maxAzs is invalid: " + maxAzs + ": expected 1 to 3");
      }
    }
  }

  private final Vpc vpc;

  public AppNetwork(Construct scope, String id, Props props) {
    super(scope, id);
    vpc =
        Vpc.Builder.create(this, "Vpc")
            .vpcName(props.vpcName())
            .ipAddresses(IpAddresses.cidr(props.cidr()))
            .maxAzs(props.maxAzs())
            .natGateways(0)
            .subnetConfiguration(
                List.of(
                    SubnetConfiguration.builder()
                        .name("Public")
                        .subnetType(SubnetType.PUBLIC)
                        .cidrMask(26)
                        .mapPublicIpOnLaunch(false)
                        .build()))
            // The custom resource that empties the default security group needs a bootstrapped
            // account and a Lambda; the default group is unused (no instance is placed in it).
            .restrictDefaultSecurityGroup(false)
            .build();
    vpc.addGatewayEndpoint(
        "S3Endpoint",
        GatewayVpcEndpointOptions.builder()
            .service(GatewayVpcEndpointAwsService.S3)
            .subnets(List.of(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build()))
            .build());
  }

  public Vpc vpc() {
    return vpc;
  }
}
