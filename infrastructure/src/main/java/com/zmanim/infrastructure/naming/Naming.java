package com.zmanim.infrastructure.naming;

import com.zmanim.infrastructure.config.ZmanimConfig;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Tags;
import software.constructs.IConstruct;

/**
 * The one place that names and tags things, so that stacks, exports, log groups, alarms and the
 * instance's configuration agree. Every name derives from the environment name.
 */
public final class Naming {

  /** Export suffixes: the network and storage stacks export them, compute imports them. */
  public static final String VPC_ID = "VpcId";

  public static final String SUBNET_ID = "AppSubnetId";
  public static final String SUBNET_AZ = "AppSubnetAz";
  public static final String SECURITY_GROUP_ID = "AppSecurityGroupId";
  public static final String BACKUPS_BUCKET = "BackupsBucketName";
  public static final String RELEASES_BUCKET = "ReleasesBucketName";

  /**
   * Key prefixes of the backups bucket (contract §2 and §9): restic's repository and pgBackRest's.
   * The instance may touch objects under these only; alarms watch the pgBackRest one.
   */
  public static final String RESTIC_PREFIX = "restic/";

  public static final String PGBACKREST_PREFIX = "pgbackrest/";

  /**
   * Key prefix of the API releases in the releases bucket (contract §4): written once, never
   * replaced.
   */
  public static final String RELEASES_PREFIX = "releases/";

  /**
   * Id of the backups bucket's S3 request-metrics filter on {@link #PGBACKREST_PREFIX} (dimension
   * FilterId).
   */
  public static final String PGBACKREST_METRICS_FILTER = "pgbackrest";

  /**
   * The tag Data Lifecycle Manager's daily snapshots target (value: the environment's data, see
   * {@link #snapshotTagValue}).
   */
  public static final String SNAPSHOT_TAG_KEY = "zmanim:daily-snapshot";

  /**
   * The secrets of contract §3, SecureString parameters under the prefix, every one required: the
   * image's list is {@code ZMANIM_REQUIRED_SECRETS} in common.sh (a test compares the two), the
   * operator's scripts read this one from the names file.
   */
  public static final List<String> SECRETS =
      List.of(
          "postgres-password",
          "redis-password",
          "restic-password",
          "origin-verify-secret",
          "pgbackrest-cipher-pass");

  /** The tag the AMI build role requires on everything Packer launches (see ADR 0003). */
  public static final String AMI_BUILD_TAG_KEY = "Purpose";

  /**
   * Export suffixes of the {@code ha} profile's stacks (their own, so that both profiles can be
   * deployed side by side during the migration): network → data and compute, data → compute.
   */
  public static final String HA_VPC_ID = "HaVpcId";

  public static final String HA_ALB_SECURITY_GROUP_ID = "HaAlbSecurityGroupId";
  public static final String HA_APP_SECURITY_GROUP_ID = "HaAppSecurityGroupId";
  public static final String HA_DATABASE_SECURITY_GROUP_ID = "HaDatabaseSecurityGroupId";
  public static final String HA_CACHE_SECURITY_GROUP_ID = "HaCacheSecurityGroupId";
  public static final String HA_DATABASE_ENDPOINT = "HaDatabaseEndpoint";
  public static final String HA_DATABASE_PORT = "HaDatabasePort";
  public static final String HA_DATABASE_SECRET_ARN = "HaDatabaseSecretArn";
  public static final String HA_CACHE_ENDPOINT = "HaCacheEndpoint";
  public static final String HA_CACHE_PORT = "HaCachePort";

  private final String env;

  public Naming(ZmanimConfig config) {
    this.env = config.environmentName();
  }

  /** {@code ZmanimProdCompute} for part {@code Compute}. */
  public String stackName(String part) {
    return "Zmanim" + capitalized() + part;
  }

  /** {@code ZmanimProdHaCompute} for part {@code Compute}: the {@code ha} profile's own stacks. */
  public String haStackName(String part) {
    return stackName("Ha" + part);
  }

  /**
   * {@code HaPublicSubnetId0}, {@code HaIsolatedSubnetId1}: the ha VPC's subnets by kind and AZ
   * index.
   */
  public static String haSubnetIdExport(String kind, int azIndex) {
    return "Ha" + kind + "SubnetId" + azIndex;
  }

  /**
   * {@code HaSubnetAz0}: the AZ of the ha VPC's subnets of that index (public and isolated alike).
   */
  public static String haSubnetAzExport(int azIndex) {
    return "HaSubnetAz" + azIndex;
  }

  /** {@code zmanim-prod-ha-api}: lowercase names of the ha profile's resources. */
  public String haResourceName(String part) {
    return resourceName("ha-" + part);
  }

  /**
   * The ha profile's Auto Scaling group of API instances: IAM conditions and alarms refer to it.
   */
  public String haAutoScalingGroupName() {
    return haResourceName("api");
  }

  /**
   * The export part of the public subnet of AZ {@code azIndex} (see {@code dataVolumeAz}): the
   * first keeps its original name {@code AppSubnetId}, the others {@code AppSubnetId1}, ...
   */
  public static String subnetIdExport(int azIndex) {
    return azIndex == 0 ? SUBNET_ID : SUBNET_ID + azIndex;
  }

  /** The export part of that subnet's AZ: {@code AppSubnetAz}, {@code AppSubnetAz1}, ... */
  public static String subnetAzExport(int azIndex) {
    return azIndex == 0 ? SUBNET_AZ : SUBNET_AZ + azIndex;
  }

  /** {@code ZmanimProd-AppSubnetId}: CloudFormation export names are account- and region-wide. */
  public String exportName(String part) {
    return "Zmanim" + capitalized() + "-" + part;
  }

  /** {@code zmanim-prod-app}: lowercase names of AWS resources that need one. */
  public String resourceName(String part) {
    return "zmanim-" + env + "-" + part;
  }

  /** The Auto Scaling group's fixed name: IAM conditions and alarm dimensions refer to it. */
  public String autoScalingGroupName() {
    return resourceName("app");
  }

  /** {@code /zmanim/prod/api} (contract §8). */
  public String logGroupName(String service) {
    return "/zmanim/" + env + "/" + service;
  }

  /**
   * The CloudWatch agent's configuration parameter (the agent's naming convention
   * AmazonCloudWatch-*).
   */
  public String agentConfigParameterName() {
    return "AmazonCloudWatch-zmanim-" + env;
  }

  /**
   * Profile ha's log group of {@code service}: beside the single profile's, as both run during the
   * migration.
   */
  public String haLogGroupName(String service) {
    return "/zmanim/" + env + "/ha/" + service;
  }

  /** Profile ha's CloudWatch agent configuration parameter. */
  public String haAgentConfigParameterName() {
    return agentConfigParameterName() + "-ha";
  }

  /**
   * The GitHub environment (required reviewers) the image workflow's Packer job runs in: {@code
   * prod-ami}.
   */
  public String amiBuildEnvironment() {
    return env + "-ami";
  }

  /** The tag value the AMI build role requires on instances and volumes Packer launches. */
  public String amiBuildTagValue() {
    return "zmanim-" + env + "-ami-build";
  }

  /**
   * The tags the AMI build role requires on what Packer launches ({@link #AMI_BUILD_TAG_KEY} =
   * {@link #amiBuildTagValue}): the Packer template's {@code build_tags} variable.
   */
  public Map<String, String> amiBuildTags() {
    return Map.of(AMI_BUILD_TAG_KEY, amiBuildTagValue());
  }

  /** {@code zmanim-prod-data}: every generation of the environment's data volume is snapshotted. */
  public String snapshotTagValue() {
    return resourceName("data");
  }

  public String environment() {
    return env;
  }

  /** Tags every resource under scope that supports tags (the ASG propagates them to instances). */
  public void tag(IConstruct scope, String component) {
    Tags.of(scope).add("Project", "zmanim");
    Tags.of(scope).add("Environment", env);
    Tags.of(scope).add("Component", component);
    Tags.of(scope).add("ManagedBy", "aws-cdk");
  }

  private String capitalized() {
    return Character.toUpperCase(env.charAt(0)) + env.substring(1);
  }
}
