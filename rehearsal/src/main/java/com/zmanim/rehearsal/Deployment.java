package com.zmanim.rehearsal;

import java.util.Map;

/**
 * A deploy of the compute stack as the harness made it: the rendered user data the instances get,
 * and the values the CDK app handed it (its {@code Fn::Sub} variables, by the names the compute
 * stack gives them), rendered with the resources the emulated account created. The harness reads
 * ids and names from here, never back out of the rendered script.
 *
 * @param stack the stack the user data comes from
 * @param userData the rendered script (cloud-init runs it)
 * @param variables the user data's variables, rendered
 */
public record Deployment(String stack, String userData, Map<String, String> variables) {
  public Deployment {
    variables = Map.copyOf(variables);
    for (String name :
        new String[] {"Environment", "SsmPrefix", "DataVolumeId", "AllocationId", "BackupBucket"}) {
      if (!variables.containsKey(name)) {
        throw new IllegalStateException(
            "the user data of "
                + stack
                + " has no variable "
                + name
                + " (contract §1): it has "
                + variables.keySet());
      }
    }
  }

  private String get(String name) {
    String v = variables.get(name);
    if (v == null) {
      throw new IllegalStateException("the user data of " + stack + " has no variable " + name);
    }
    return v;
  }

  /** {@code ZMANIM_ENVIRONMENT}. */
  public String environment() {
    return get("Environment");
  }

  /** {@code ZMANIM_SSM_PREFIX} (no trailing slash). */
  public String ssmPrefix() {
    return get("SsmPrefix");
  }

  /** The full name of parameter {@code name} under the prefix. */
  public String ssmName(String name) {
    return ssmPrefix() + "/" + name;
  }

  /**
   * {@code ZMANIM_DATA_VOLUME_ID}: the volume the emulated account created for the data volume
   * resource.
   */
  public String dataVolumeId() {
    return get("DataVolumeId");
  }

  /** {@code ZMANIM_EIP_ALLOCATION_ID}. */
  public String eipAllocationId() {
    return get("AllocationId");
  }

  /** {@code ZMANIM_BACKUP_BUCKET}. */
  public String backupBucket() {
    return get("BackupBucket");
  }

  /** {@code ZMANIM_RELEASES_BUCKET}. */
  public String releasesBucket() {
    return get("ReleasesBucket");
  }

  /** {@code ZMANIM_SIGNAL_RESOURCE}: the logical id CloudFormation's signal names. */
  public String signalResource() {
    return get("SignalResource");
  }

  /** {@code ZMANIM_METRICS_NAMESPACE}. */
  public String metricsNamespace() {
    return get("MetricsNamespace");
  }

  /**
   * {@code ZMANIM_BLANK_VOLUME}: what the boot does with a blank volume ({@code initialise} or
   * {@code restore}).
   */
  public String blankVolume() {
    return get("BlankVolume");
  }

  /** {@code ZMANIM_PITR_RETENTION_DAYS}. */
  public String pitrRetentionDays() {
    return get("PitrRetentionDays");
  }

  /** {@code ZMANIM_ARCHIVE_TIMEOUT_S}. */
  public String archiveTimeoutSeconds() {
    return get("ArchiveTimeoutSeconds");
  }

  /** {@code ZMANIM_NOTIFY_FROM}: the SES identity the instance sends from. */
  public String notifyFrom() {
    return get("NotifyFrom");
  }
}
