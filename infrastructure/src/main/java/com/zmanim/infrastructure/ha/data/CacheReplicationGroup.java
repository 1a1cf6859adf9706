package com.zmanim.infrastructure.ha.data;

import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.services.elasticache.CfnReplicationGroup;
import software.amazon.awscdk.services.elasticache.CfnSubnetGroup;
import software.constructs.Construct;

/**
 * ElastiCache for Valkey: a primary and a replica in the other AZ with automatic fail-over
 * (Multi-AZ), TLS required in transit, encrypted at rest, and an AUTH token that CloudFormation
 * reads from the SSM SecureString the instances also read (a dynamic reference: the value is in
 * neither the template nor this app). The API treats the cache as optional, so no snapshots.
 */
public final class CacheReplicationGroup extends Construct {

  /** The cache port (Valkey's usual one; the security group admits the API instances only). */
  public static final int PORT = 6379;

  /**
   * @param groupId replication group id (1-40 lowercase letters, digits, hyphens)
   * @param nodeType e.g. {@code cache.t4g.micro}
   * @param subnetIds isolated subnets, one per AZ (at least 2)
   * @param nodeAzs the primary's and the replica's AZs (different ones)
   * @param securityGroupId admits the API instances only
   * @param authTokenParameter the SSM SecureString holding the AUTH token ({@code
   *     /zmanim/prod/redis-password})
   */
  public record Props(
      String groupId,
      String nodeType,
      List<String> subnetIds,
      List<String> nodeAzs,
      String securityGroupId,
      String authTokenParameter) {
    public Props {
      if (groupId == null
          || !groupId.matches("[a-z][a-z0-9-]{0,39}")
          || groupId.endsWith("-")
          || groupId.contains("--")) {
        throw new IllegalArgumentException("groupId is invalid: " + groupId);
      }
      if (nodeType == null || !nodeType.startsWith("cache.")) {
        throw new IllegalArgumentException(
            "nodeType is invalid: " + nodeType + ": expected cache.<family>.<size>");
      }
      if (subnetIds == null || subnetIds.size() < 2) {
        throw new IllegalArgumentException(
            "subnetIds is invalid: Multi-AZ needs subnets in at least 2 AZs");
      }
      subnetIds = List.copyOf(subnetIds);
      if (nodeAzs == null || nodeAzs.size() != 2 || nodeAzs.get(0).equals(nodeAzs.get(1))) {
        throw new IllegalArgumentException(
            "nodeAzs is invalid: " + nodeAzs + ": two different AZs, one per node");
      }
      nodeAzs = List.copyOf(nodeAzs);
      Objects.requireNonNull(securityGroupId, "securityGroupId");
      if (authTokenParameter == null || !authTokenParameter.startsWith("/")) {
        throw new IllegalArgumentException("authTokenParameter is invalid: " + authTokenParameter);
      }
    }
  }

  private final CfnReplicationGroup group;

  public CacheReplicationGroup(Construct scope, String id, Props p) {
    super(scope, id);
    CfnSubnetGroup subnets =
        CfnSubnetGroup.Builder.create(this, "Subnets")
            .cacheSubnetGroupName(p.groupId())
            .description("zmanim ha cache: isolated subnets")
            .subnetIds(p.subnetIds())
            .build();
    group =
        CfnReplicationGroup.Builder.create(this, "Group")
            .replicationGroupId(p.groupId())
            .replicationGroupDescription("zmanim ha cache (Valkey, Multi-AZ, TLS, AUTH)")
            .engine("valkey")
            .engineVersion("8.0")
            .cacheNodeType(p.nodeType())
            .numCacheClusters(2)
            .preferredCacheClusterAZs(p.nodeAzs())
            .multiAzEnabled(true)
            .automaticFailoverEnabled(true)
            .transitEncryptionEnabled(true)
            .transitEncryptionMode("required")
            .atRestEncryptionEnabled(true)
            .authToken("{{resolve:ssm-secure:" + p.authTokenParameter() + "}}")
            .port(PORT)
            .cacheSubnetGroupName(subnets.getRef())
            .securityGroupIds(List.of(p.securityGroupId()))
            .autoMinorVersionUpgrade(true)
            .preferredMaintenanceWindow("sun:05:00-sun:06:00")
            .build();
  }

  public CfnReplicationGroup group() {
    return group;
  }

  /** The primary endpoint's host name (TLS). */
  public String endpoint() {
    return group.getAttrPrimaryEndPointAddress();
  }
}
