package com.zmanim.infrastructure.ha.network;

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
 * The {@code ha} profile's VPC: in each AZ a public subnet (load balancer and API instances, which
 * reach AWS APIs through their own public address: no NAT gateway, no interface endpoints, ADR
 * 0014) and an isolated subnet with no route out at all (Aurora and ElastiCache). S3 through a
 * gateway endpoint, as in the single profile.
 */
public final class HaNetwork extends Construct {

  /** Subnet group names: the stacks select subnets by them. */
  public static final String PUBLIC = "Public";

  public static final String ISOLATED = "Data";

  /**
   * @param cidr the VPC's IPv4 range (/16 to /24: four /26 subnets)
   * @param azs how many AZs (at least 2: the profile exists to survive one)
   * @param vpcName the VPC's Name tag
   */
  public record Props(String cidr, int azs, String vpcName) {
    public Props {
      Objects.requireNonNull(cidr, "cidr");
      Objects.requireNonNull(vpcName, "vpcName");
      if (azs < 2 || azs > 3) {
        throw new IllegalArgumentException(
            "azs is invalid: " + azs + ": the ha profile needs 2 or 3 AZs");
      }
    }
  }

  private final Vpc vpc;

  public HaNetwork(Construct scope, String id, Props props) {
    super(scope, id);
    vpc =
        Vpc.Builder.create(this, "Vpc")
            .vpcName(props.vpcName())
            .ipAddresses(IpAddresses.cidr(props.cidr()))
            .maxAzs(props.azs())
            .natGateways(0)
            .subnetConfiguration(
                List.of(
                    SubnetConfiguration.builder()
                        .name(PUBLIC)
                        .subnetType(SubnetType.PUBLIC)
                        .cidrMask(26)
                        .mapPublicIpOnLaunch(false)
                        .build(),
                    SubnetConfiguration.builder()
                        .name(ISOLATED)
                        .subnetType(SubnetType.PRIVATE_ISOLATED)
                        .cidrMask(26)
                        .build()))
            // As in the single profile: the default group is unused, and emptying it needs a custom
            // resource (a Lambda and a bootstrapped account).
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
