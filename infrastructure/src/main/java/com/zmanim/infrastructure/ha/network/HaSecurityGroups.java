package com.zmanim.infrastructure.ha.network;

import java.util.Objects;
import software.amazon.awscdk.services.ec2.IPeer;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.constructs.Construct;

/**
 * The {@code ha} profile's four security groups, chained so that each tier is reachable only from
 * the one in front of it: CloudFront → load balancer (listener port) → API instances (API port) →
 * Aurora (database port) and ElastiCache (cache port). No SSH anywhere; the API instances may also
 * open HTTPS to AWS APIs.
 */
public final class HaSecurityGroups extends Construct {

  /**
   * @param vpc the ha VPC
   * @param ingressSource CloudFront's origin-facing prefix list id (may be a token) or a CIDR
   * @param listenerPort the load balancer's port CloudFront connects to
   * @param apiPort the API's port on the instances
   * @param databasePort Aurora's port
   * @param cachePort ElastiCache's port
   * @param namePrefix e.g. {@code zmanim-prod-ha-}: group names are prefix + alb/api/db/cache
   */
  public record Props(
      IVpc vpc,
      String ingressSource,
      int listenerPort,
      int apiPort,
      int databasePort,
      int cachePort,
      String namePrefix) {
    public Props {
      Objects.requireNonNull(vpc, "vpc");
      Objects.requireNonNull(ingressSource, "ingressSource");
      Objects.requireNonNull(namePrefix, "namePrefix");
      for (int port : new int[] {listenerPort, apiPort, databasePort, cachePort}) {
        if (port < 1 || port > 65_535 || port == 22) {
          throw new IllegalArgumentException(
              "port is invalid: " + port + ": 1-65535, never 22 (no SSH)");
        }
      }
      if (ingressSource.endsWith("/0")) {
        throw new IllegalArgumentException(
            "ingressSource is invalid: "
                + ingressSource
                + ": the load balancer is reachable from CloudFront only, never the whole internet");
      }
    }
  }

  private final SecurityGroup alb;
  private final SecurityGroup app;
  private final SecurityGroup database;
  private final SecurityGroup cache;

  public HaSecurityGroups(Construct scope, String id, Props p) {
    super(scope, id);
    alb =
        group(
            "Alb",
            p,
            "alb",
            "zmanim ha load balancer: listener port from the CloudFront origin-facing prefix list only");
    app =
        group(
            "Api",
            p,
            "api",
            "zmanim ha API instances: API port from the load balancer only, no SSH");
    database =
        group("Database", p, "db", "zmanim ha Aurora: database port from the API instances only");
    cache =
        group("Cache", p, "cache", "zmanim ha ElastiCache: cache port from the API instances only");

    IPeer source =
        p.ingressSource().contains("/")
            ? Peer.ipv4(p.ingressSource())
            : Peer.prefixList(p.ingressSource());
    alb.addIngressRule(source, Port.tcp(p.listenerPort()), "CloudFront origin-facing servers");
    alb.addEgressRule(
        app, Port.tcp(p.apiPort()), "to the API instances (traffic and /health checks)");
    app.addIngressRule(alb, Port.tcp(p.apiPort()), "from the load balancer only");
    app.addEgressRule(
        Peer.anyIpv4(),
        Port.tcp(443),
        "HTTPS to AWS APIs (SSM, Secrets Manager, CloudFormation, SES, CloudWatch, S3)");
    app.addEgressRule(database, Port.tcp(p.databasePort()), "to Aurora");
    app.addEgressRule(cache, Port.tcp(p.cachePort()), "to ElastiCache");
    database.addIngressRule(app, Port.tcp(p.databasePort()), "from the API instances only");
    cache.addIngressRule(app, Port.tcp(p.cachePort()), "from the API instances only");
  }

  private SecurityGroup group(String id, Props p, String name, String description) {
    return SecurityGroup.Builder.create(this, id)
        .vpc(p.vpc())
        .securityGroupName(p.namePrefix() + name)
        .description(description)
        .allowAllOutbound(false)
        .build();
  }

  public SecurityGroup alb() {
    return alb;
  }

  public SecurityGroup app() {
    return app;
  }

  public SecurityGroup database() {
    return database;
  }

  public SecurityGroup cache() {
    return cache;
  }
}
