package com.zmanim.infrastructure.config;

import com.zmanim.infrastructure.Ordered;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything the stacks may vary, validated once. The defaults are in one named table ({@code
 * DEFAULTS}); every field can be overridden with a CDK context value of the same name ({@code -c
 * alarmEmail=...}). Adding a field: a record component (with its validation) and its default in the
 * table.
 *
 * @param environmentName short lowercase name ({@code prod}); part of every resource name
 * @param account 12-digit AWS account, or null for an environment-agnostic synth
 * @param region AWS region, or null for an environment-agnostic synth
 * @param instanceType a Graviton (arm64) instance type: the image is arm64
 * @param rootVolumeGib root volume size (disposable, from the image)
 * @param dataVolumeGib persistent data volume size
 * @param dataVolumeIops gp3 IOPS of the data volume
 * @param dataVolumeThroughput gp3 throughput of the data volume in MiB/s
 * @param ssmPrefix parameter prefix, leading slash, no trailing slash; by default {@code
 *     /zmanim/<environmentName>}
 * @param alarmEmail recipient of the alarm topic's e-mail subscription
 * @param notifyFrom sender address the instance may use with SES
 * @param sesIdentity the SES identity (domain or address) that sender belongs to
 * @param apiPort the API's port on the instance
 * @param apiIngressSource prefix list id ({@code pl-...}) or CIDR allowed to reach the API; null =
 *     CloudFront's origin-facing managed prefix list of the region
 * @param metricsNamespace CloudWatch namespace of the custom metrics (contract §7)
 * @param logRetentionDays retention of the app's log groups
 * @param backupNoncurrentDays days a noncurrent backup object version is kept (>= 30)
 * @param bootTimeoutMinutes how long a deploy waits for the new instance's signal
 * @param vpcCidr the VPC's IPv4 range
 * @param githubRepository {@code owner/name} whose {@code v*-ami} tags may build images
 * @param githubOidcProviderArn an existing GitHub OIDC provider, or null to create one
 * @param dataVolumeGeneration 1 for the original data volume; raising it gives the compute stack a
 *     new, blank volume (the previous one is retained, never deleted)
 * @param dataVolumeAz index (0-based) of the AZ, among the VPC's {@link #AVAILABILITY_ZONES} public
 *     subnets in the network stack's order, where the instance and the data volume live
 * @param blankVolume what the boot does with a blank (no filesystem) data volume: {@code
 *     initialise} (an empty database) or {@code restore} (the latest point from the pgBackRest
 *     repository); never applied to a volume that holds anything
 * @param pitrRetentionDays the point-in-time recovery window pgBackRest's retention must cover
 * @param archiveTimeoutSeconds PostgreSQL's {@code archive_timeout}: the longest time a committed
 *     write waits before its WAL segment is archived (the RPO at idle)
 * @param backupLockDays S3 Object Lock default retention (compliance mode) of every object version
 *     written to the backups bucket; at least the PITR window plus the full-backup interval, so
 *     that everything a restore to the window's start needs is still locked
 * @param profile {@code single} (one instance with its own PostgreSQL and Redis: the default) or
 *     {@code ha} (Aurora, ElastiCache, a load balancer and an Auto Scaling group of API instances
 *     over two AZs; ADR 0014)
 * @param haVpcCidr the {@code ha} profile's VPC range (its own VPC, so that both profiles can run
 *     side by side during the migration)
 * @param haMinInstances the {@code ha} profile's smallest number of API instances (>= 2, one per
 *     AZ)
 * @param haMaxInstances the {@code ha} profile's largest number of API instances
 * @param haMigrationRestore {@code ha} only, for the migration from {@code single}: the API
 *     instances may read the restic repository of the backups bucket (ADR 0016); {@code false}
 *     otherwise
 */
public record ZmanimConfig(
    String environmentName,
    String account,
    String region,
    String instanceType,
    int rootVolumeGib,
    int dataVolumeGib,
    int dataVolumeIops,
    int dataVolumeThroughput,
    String ssmPrefix,
    String alarmEmail,
    String notifyFrom,
    String sesIdentity,
    int apiPort,
    String apiIngressSource,
    String metricsNamespace,
    int logRetentionDays,
    int backupNoncurrentDays,
    int bootTimeoutMinutes,
    String vpcCidr,
    String githubRepository,
    String githubOidcProviderArn,
    int dataVolumeGeneration,
    int dataVolumeAz,
    String blankVolume,
    int pitrRetentionDays,
    int archiveTimeoutSeconds,
    int backupLockDays,
    String profile,
    String haVpcCidr,
    int haMinInstances,
    int haMaxInstances,
    boolean haMigrationRestore) {

  /** How many AZs the VPC spans (a public subnet in each); {@code dataVolumeAz} indexes them. */
  public static final int AVAILABILITY_ZONES = 2;

  /** The values of {@code blankVolume} (instance.env {@code ZMANIM_BLANK_VOLUME}). */
  public static final List<String> BLANK_VOLUME_ACTIONS = List.of("initialise", "restore");

  /** The shortest PITR window the platform promises. */
  public static final int MIN_PITR_RETENTION_DAYS = 14;

  /**
   * pgBackRest takes a full backup weekly (ADR 0008): the oldest full backup a restore to the
   * window's start needs is up to this much older than the window.
   */
  public static final int FULL_BACKUP_INTERVAL_DAYS = 7;

  /** Aurora keeps automated backups (and so its PITR window) for at most 35 days. */
  public static final int HA_MAX_PITR_RETENTION_DAYS = 35;

  /** The values of {@code profile}. */
  public static final List<String> PROFILES = List.of("single", "ha");

  private static final Pattern ENVIRONMENT = Pattern.compile("[a-z][a-z0-9]{1,15}");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-\\d");

  /** Graviton families carry a "g" right after the generation digit: m7g, t4g, c7gd, r8g. */
  private static final Pattern GRAVITON_TYPE = Pattern.compile("[a-z]+\\d+g[a-z]*\\.[a-z0-9]+");

  private static final Pattern SSM_PREFIX = Pattern.compile("(/[a-zA-Z0-9_.-]+)+");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)+");
  private static final Pattern DOMAIN = Pattern.compile("[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)+");
  private static final Pattern PREFIX_LIST = Pattern.compile("pl-[0-9a-f]{8,17}");
  private static final Pattern CIDR =
      Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}/(\\d|[12]\\d|3[0-2])");
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z][A-Za-z0-9/_.-]{0,254}");
  private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
  private static final Pattern OIDC_ARN =
      Pattern.compile(
          "arn:aws[a-z-]*:iam::\\d{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com");

  /** The values CloudWatch Logs accepts for RetentionInDays. */
  private static final List<Integer> RETENTION_DAYS =
      List.of(
          1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
          2922, 3288, 3653);

  /** Validates every field; a bad one fails with a message that names it. */
  public ZmanimConfig {
    require(
        "environmentName",
        environmentName,
        ENVIRONMENT,
        "2-16 lowercase letters/digits, starting with a letter");
    if (account != null) {
      require(
          "account", account, ACCOUNT, "12 digits (or unset for an environment-agnostic synth)");
    }
    if (region != null) {
      require("region", region, REGION, "an AWS region such as eu-west-1 (or unset)");
    }
    require(
        "instanceType",
        instanceType,
        GRAVITON_TYPE,
        "a Graviton (arm64) type such as m7g.medium: the image is arm64");
    range("rootVolumeGib", rootVolumeGib, 8, 100);
    range("dataVolumeGib", dataVolumeGib, 1, 16_384);
    range("dataVolumeIops", dataVolumeIops, 3_000, 16_000);
    range("dataVolumeThroughput", dataVolumeThroughput, 125, 1_000);
    if (dataVolumeIops > dataVolumeGib * 500) {
      throw invalid(
          "dataVolumeIops",
          dataVolumeIops,
          "gp3 allows at most 500 IOPS per GiB (" + dataVolumeGib * 500 + " here)");
    }
    require(
        "ssmPrefix",
        ssmPrefix,
        SSM_PREFIX,
        "a path with a leading slash and no trailing slash, such as /zmanim/prod");
    require("alarmEmail", alarmEmail, EMAIL, "an e-mail address");
    require("notifyFrom", notifyFrom, EMAIL, "an e-mail address");
    Objects.requireNonNull(sesIdentity, "sesIdentity must be set");
    if (!EMAIL.matcher(sesIdentity).matches() && !DOMAIN.matcher(sesIdentity).matches()) {
      throw invalid("sesIdentity", sesIdentity, "an SES identity: a domain or an e-mail address");
    }
    if (!notifyFrom.equals(sesIdentity) && !notifyFrom.endsWith("@" + sesIdentity)) {
      throw invalid("notifyFrom", notifyFrom, "must belong to sesIdentity " + sesIdentity);
    }
    range("apiPort", apiPort, 1_024, 65_535);
    if (apiIngressSource != null) {
      if (!PREFIX_LIST.matcher(apiIngressSource).matches()
          && !CIDR.matcher(apiIngressSource).matches()) {
        throw invalid(
            "apiIngressSource",
            apiIngressSource,
            "a prefix list id (pl-...) or an IPv4 CIDR (or unset for CloudFront's)");
      }
      if (apiIngressSource.endsWith("/0")) {
        throw invalid(
            "apiIngressSource", apiIngressSource, "must not open the API to the whole internet");
      }
    }
    require(
        "metricsNamespace", metricsNamespace, NAMESPACE, "a CloudWatch namespace such as Zmanim");
    if (metricsNamespace.startsWith("AWS/")) {
      throw invalid("metricsNamespace", metricsNamespace, "the AWS/ prefix is reserved");
    }
    if (!RETENTION_DAYS.contains(logRetentionDays)) {
      throw invalid(
          "logRetentionDays",
          logRetentionDays,
          "one of CloudWatch Logs' values " + RETENTION_DAYS.stream().sorted().toList());
    }
    range("backupNoncurrentDays", backupNoncurrentDays, 30, 3_650);
    range("bootTimeoutMinutes", bootTimeoutMinutes, 5, 60);
    require("vpcCidr", vpcCidr, CIDR, "an IPv4 CIDR such as 10.40.0.0/24");
    int vpcBits = Integer.parseInt(vpcCidr.substring(vpcCidr.indexOf('/') + 1));
    if (vpcBits < 16 || vpcBits > 24) {
      throw invalid(
          "vpcCidr", vpcCidr, "a VPC needs a /16 to /24 range (two /26 public subnets at least)");
    }
    require(
        "githubRepository", githubRepository, REPOSITORY, "owner/name of the GitHub repository");
    if (githubOidcProviderArn != null) {
      require(
          "githubOidcProviderArn",
          githubOidcProviderArn,
          OIDC_ARN,
          "the ARN of the token.actions.githubusercontent.com OIDC provider (or unset to create one)");
    }
    range("dataVolumeGeneration", dataVolumeGeneration, 1, 999);
    range("dataVolumeAz", dataVolumeAz, 0, AVAILABILITY_ZONES - 1);
    if (blankVolume == null || !BLANK_VOLUME_ACTIONS.contains(blankVolume)) {
      throw invalid(
          "blankVolume",
          blankVolume,
          "initialise (an empty database) or restore (latest from the "
              + "pgBackRest repository), applied only to a volume with no filesystem");
    }
    range("pitrRetentionDays", pitrRetentionDays, MIN_PITR_RETENTION_DAYS, 365);
    // RPO = archive_timeout + one asynchronous push: above 45 s the promise of at most a minute of
    // committed writes breaks; below 10 s every busy minute forces six or more mostly empty
    // segments into S3 for no gain.
    range("archiveTimeoutSeconds", archiveTimeoutSeconds, 10, 45);
    range("backupLockDays", backupLockDays, pitrRetentionDays + FULL_BACKUP_INTERVAL_DAYS, 365);
    if (profile == null || !PROFILES.contains(profile)) {
      throw invalid(
          "profile",
          profile,
          "single (one instance, the default) or ha (managed multi-AZ services)");
    }
    require("haVpcCidr", haVpcCidr, CIDR, "an IPv4 CIDR such as 10.41.0.0/24");
    int haBits = Integer.parseInt(haVpcCidr.substring(haVpcCidr.indexOf('/') + 1));
    if (haBits < 16 || haBits > 24) {
      throw invalid(
          "haVpcCidr",
          haVpcCidr,
          "a /16 to /24 range (four /26 subnets: public and isolated in two AZs)");
    }
    if (haVpcCidr.equals(vpcCidr)) {
      throw invalid(
          "haVpcCidr",
          haVpcCidr,
          "a range other than vpcCidr: both VPCs exist during the migration");
    }
    // One instance per AZ at least: losing an AZ or replacing an instance must leave one serving.
    range("haMinInstances", haMinInstances, AVAILABILITY_ZONES, 20);
    // One more than the minimum: a rolling update launches the new instance before it retires an
    // old one, so the group never drops below its minimum in service.
    range("haMaxInstances", haMaxInstances, haMinInstances + 1, 40);
    if (haMigrationRestore && !profile.equals("ha")) {
      throw invalid(
          "haMigrationRestore",
          true,
          "false unless profile is ha (it opens the ha instances' read of the "
              + "restic repository during the migration, ADR 0016)");
    }
    if (profile.equals("ha") && pitrRetentionDays > HA_MAX_PITR_RETENTION_DAYS) {
      throw invalid(
          "pitrRetentionDays",
          pitrRetentionDays,
          "at most "
              + HA_MAX_PITR_RETENTION_DAYS
              + " with profile ha (Aurora's longest automated-backup retention)");
    }
  }

  /** Whether the app builds the {@code ha} profile's stacks instead of the single instance's. */
  public boolean isHa() {
    return profile.equals("ha");
  }

  /**
   * The default of every field, by name: the one place a default is written. A field missing here
   * is unset (null) unless {@link #DERIVED_DEFAULTS} computes it; an {@code int} or {@code boolean}
   * field must be here. Environment-agnostic: no account or region.
   */
  private static final Map<String, Object> DEFAULTS =
      Ordered.of(
          Map.entry("environmentName", "prod"),
          Map.entry("instanceType", "m7g.medium"),
          Map.entry("rootVolumeGib", 10),
          Map.entry("dataVolumeGib", 20),
          Map.entry("dataVolumeIops", 3_000),
          Map.entry("dataVolumeThroughput", 125),
          Map.entry("alarmEmail", "alerts@zmanim.example"),
          Map.entry("notifyFrom", "noreply@zmanim.example"),
          Map.entry("sesIdentity", "zmanim.example"),
          Map.entry("apiPort", 8080),
          Map.entry("metricsNamespace", "Zmanim"),
          Map.entry("logRetentionDays", 90),
          Map.entry("backupNoncurrentDays", 35),
          Map.entry("bootTimeoutMinutes", 20),
          Map.entry("vpcCidr", "10.40.0.0/24"),
          Map.entry("githubRepository", "zmanim/zmanim"),
          Map.entry("dataVolumeGeneration", 1),
          Map.entry("dataVolumeAz", 0),
          Map.entry("blankVolume", "initialise"),
          Map.entry("pitrRetentionDays", MIN_PITR_RETENTION_DAYS),
          Map.entry("archiveTimeoutSeconds", 30),
          Map.entry("backupLockDays", 30),
          Map.entry("profile", "single"),
          Map.entry("haVpcCidr", "10.41.0.0/24"),
          Map.entry("haMinInstances", 2),
          Map.entry("haMaxInstances", 4),
          Map.entry("haMigrationRestore", false));

  /**
   * Defaults that follow the environment name, so that {@code environmentName=staging} alone moves
   * every name: the parameter prefix is {@code /zmanim/<environmentName>}.
   */
  private static final Map<String, Function<String, Object>> DERIVED_DEFAULTS =
      Map.of("ssmPrefix", env -> "/zmanim/" + env);

  /** The defaults ({@link #DEFAULTS}). */
  public static ZmanimConfig defaults() {
    return fromLookup(key -> null);
  }

  /**
   * The defaults, with every field that the lookup (CDK context) has a value for replaced. Unknown
   * keys are not read; numbers must parse, naming the field if they do not.
   */
  public static ZmanimConfig fromLookup(Function<String, Object> lookup) {
    RecordComponent[] fields = ZmanimConfig.class.getRecordComponents();
    Object[] values = new Object[fields.length];
    Class<?>[] types = new Class<?>[fields.length];
    String env = text(lookup, "environmentName", (String) DEFAULTS.get("environmentName"));
    for (int i = 0; i < fields.length; i++) {
      String name = fields[i].getName();
      types[i] = fields[i].getType();
      Object fallback =
          DEFAULTS.containsKey(name)
              ? DEFAULTS.get(name)
              : DERIVED_DEFAULTS.containsKey(name) ? DERIVED_DEFAULTS.get(name).apply(env) : null;
      if (types[i] == int.class || types[i] == boolean.class) {
        if (fallback == null) {
          throw new IllegalStateException("ZmanimConfig.DEFAULTS lacks a default for " + name);
        }
        values[i] =
            types[i] == int.class
                ? number(lookup, name, (Integer) fallback)
                : bool(lookup, name, (Boolean) fallback);
      } else {
        values[i] = text(lookup, name, (String) fallback);
      }
    }
    try {
      return ZmanimConfig.class.getDeclaredConstructor(types).newInstance(values);
    } catch (InvocationTargetException e) {
      // The validation's own message, naming the field.
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct ZmanimConfig", e);
    }
  }

  /** Convenience for tests: the defaults with some fields replaced. */
  public static ZmanimConfig withOverrides(Map<String, Object> overrides) {
    return fromLookup(overrides::get);
  }

  /**
   * The SSM parameter holding the AMI id the compute stack launches (written by the promotion step
   * only).
   */
  public String amiIdParameter() {
    return ssmPrefix + "/ami-id";
  }

  /** The SSM parameter holding the version of that image. */
  public String amiVersionParameter() {
    return ssmPrefix + "/ami-version";
  }

  /**
   * The SSM parameter the image workflow writes its new AMI id to; promotion copies it to {@link
   * #amiIdParameter}.
   */
  public String amiCandidateIdParameter() {
    return ssmPrefix + "/ami-candidate-id";
  }

  /** The version of the candidate image. */
  public String amiCandidateVersionParameter() {
    return ssmPrefix + "/ami-candidate-version";
  }

  private static String text(Function<String, Object> lookup, String key, String fallback) {
    Object value = lookup.apply(key);
    if (value == null) {
      return fallback;
    }
    String s = value.toString().trim();
    return s.isEmpty() ? fallback : s;
  }

  private static int number(Function<String, Object> lookup, String key, int fallback) {
    Object value = lookup.apply(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      if (n.doubleValue() != Math.rint(n.doubleValue())) {
        throw invalid(key, value, "a whole number");
      }
      return n.intValue();
    }
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw invalid(key, value, "a whole number");
    }
  }

  private static boolean bool(Function<String, Object> lookup, String key, boolean fallback) {
    Object value = lookup.apply(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, value, "true or false");
    };
  }

  private static void require(String field, String value, Pattern pattern, String expected) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must be set: expected " + expected);
    }
    if (!pattern.matcher(value).matches()) {
      throw invalid(field, value, expected);
    }
  }

  private static void range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      String why =
          field.equals("backupLockDays")
              ? " (at least pitrRetentionDays + "
                  + FULL_BACKUP_INTERVAL_DAYS
                  + ": the window plus the full-backup interval)"
              : "";
      throw invalid(field, value, "between " + min + " and " + max + why);
    }
  }

  private static IllegalArgumentException invalid(String field, Object value, String expected) {
    return new IllegalArgumentException(
        field + " is invalid: '" + value + "': expected " + expected);
  }
}
