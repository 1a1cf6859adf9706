package com.zmanim.infrastructure.ha.compute;

import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.constructs.Construct;

/**
 * The {@code ha} profile's Application Load Balancer, CloudFront's origin: internet-facing in the
 * public subnets, but its security group admits CloudFront's origin-facing prefix list only (the
 * group is the network stack's; nothing here opens it). The API itself refuses requests without the
 * {@code X-Origin-Verify} header (contract §4), so the secret never enters a listener rule or the
 * template. Targets: the API port, healthy when {@code /health} answers 200.
 */
public final class ApiLoadBalancer extends Construct {

  /**
   * @param vpc the ha VPC (imported)
   * @param securityGroup the load balancer's group (imported, not modified here)
   * @param listenerPort the port CloudFront connects to
   * @param targetPort the API's port on the instances
   * @param healthPath the API's health route
   * @param name the load balancer's name (at most 32 characters)
   * @param drainSeconds deregistration delay: the API drains for at most 20 s on SIGTERM
   */
  public record Props(
      IVpc vpc,
      ISecurityGroup securityGroup,
      int listenerPort,
      int targetPort,
      String healthPath,
      String name,
      int drainSeconds) {
    public Props {
      Objects.requireNonNull(vpc, "vpc");
      Objects.requireNonNull(securityGroup, "securityGroup");
      if (healthPath == null || !healthPath.startsWith("/")) {
        throw new IllegalArgumentException("healthPath is invalid: " + healthPath);
      }
      if (name == null || name.length() > 32) {
        throw new IllegalArgumentException("name is invalid: " + name + ": at most 32 characters");
      }
      if (drainSeconds < 0 || drainSeconds > 3600) {
        throw new IllegalArgumentException("drainSeconds is invalid: " + drainSeconds);
      }
    }
  }

  private final ApplicationLoadBalancer loadBalancer;
  private final ApplicationTargetGroup targets;
  private final ApplicationListener listener;

  public ApiLoadBalancer(Construct scope, String id, Props p) {
    super(scope, id);
    loadBalancer =
        ApplicationLoadBalancer.Builder.create(this, "LoadBalancer")
            .loadBalancerName(p.name())
            .vpc(p.vpc())
            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
            .internetFacing(true)
            .securityGroup(p.securityGroup())
            .dropInvalidHeaderFields(true)
            .deletionProtection(true)
            .build();
    targets =
        ApplicationTargetGroup.Builder.create(this, "Api")
            .vpc(p.vpc())
            .port(p.targetPort())
            .protocol(ApplicationProtocol.HTTP)
            .targetType(TargetType.INSTANCE)
            .deregistrationDelay(Duration.seconds(p.drainSeconds()))
            .healthCheck(
                HealthCheck.builder()
                    .path(p.healthPath())
                    .healthyHttpCodes("200")
                    .interval(Duration.seconds(10))
                    .timeout(Duration.seconds(5))
                    .healthyThresholdCount(2)
                    .unhealthyThresholdCount(2)
                    .build())
            .build();
    listener =
        loadBalancer.addListener(
            "Http",
            BaseApplicationListenerProps.builder()
                .port(p.listenerPort())
                .protocol(ApplicationProtocol.HTTP)
                // The network stack's group already admits exactly CloudFront; do not add
                // 0.0.0.0/0.
                .open(false)
                .defaultAction(ListenerAction.forward(List.of(targets)))
                .build());
  }

  public ApplicationLoadBalancer loadBalancer() {
    return loadBalancer;
  }

  public ApplicationListener listener() {
    return listener;
  }

  public ApplicationTargetGroup targets() {
    return targets;
  }
}
