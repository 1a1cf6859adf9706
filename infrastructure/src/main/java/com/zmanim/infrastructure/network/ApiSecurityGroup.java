package com.zmanim.infrastructure.network;

import java.util.Objects;
import software.amazon.awscdk.services.ec2.IPeer;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.constructs.Construct;

/**
 * The instance's security group: the API port from one source only (CloudFront's origin-facing
 * prefix list by default), no SSH (operators use Session Manager), and HTTPS out only (AWS APIs;
 * DNS, NTP and instance metadata are link-local and not filtered by security groups).
 */
public final class ApiSecurityGroup extends Construct {

  /**
   * @param vpc the VPC
   * @param apiPort the API's port
   * @param ingressSource a prefix list id ({@code pl-...}, may be a token) or an IPv4 CIDR
   * @param groupName the group's name
   */
  public record Props(IVpc vpc, int apiPort, String ingressSource, String groupName) {
    public Props {
      Objects.requireNonNull(vpc, "vpc");
      Objects.requireNonNull(ingressSource, "ingressSource");
      Objects.requireNonNull(groupName, "groupName");
      if (apiPort == 22) {
        throw new IllegalArgumentException("apiPort is invalid: 22: SSH is never opened");
      }
    }
  }

  private final SecurityGroup group;

  public ApiSecurityGroup(Construct scope, String id, Props props) {
    super(scope, id);
    group =
        SecurityGroup.Builder.create(this, "Group")
            .vpc(props.vpc())
            .securityGroupName(props.groupName())
            .description("zmanim API instance: API port from the configured source only, no SSH")
            .allowAllOutbound(false)
            .build();
    IPeer source =
        props.ingressSource().contains("/")
            ? Peer.ipv4(props.ingressSource())
            : Peer.prefixList(props.ingressSource());
    group.addIngressRule(
        source, Port.tcp(props.apiPort()), "zmanim API from the configured ingress source");
    group.addEgressRule(
        Peer.anyIpv4(),
        Port.tcp(443),
        "HTTPS to AWS APIs (SSM, EC2, S3, SES, CloudWatch, CloudFormation)");
  }

  public SecurityGroup group() {
    return group;
  }
}
