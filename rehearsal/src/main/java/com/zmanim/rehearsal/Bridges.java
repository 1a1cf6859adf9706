package com.zmanim.rehearsal;

/**
 * The rehearsal's bridges: one for scenario runs, one for the instance `make rehearse-up` leaves
 * up. Two runs on one machine (two worktrees) need their own bridge, subnet and machine names
 * (nspawn names each host-side veth {@code vb-<machine>}): ZMANIM_REHEARSAL_BRIDGE,
 * ZMANIM_REHEARSAL_NET and ZMANIM_REHEARSAL_MACHINES override the run's defaults (with
 * ZMANIM_REHEARSAL_SCRATCH, see Layout).
 */
public final class Bridges {
  public static final String RUN =
      System.getenv().getOrDefault("ZMANIM_REHEARSAL_BRIDGE", "zr-run");
  public static final String RUN_PREFIX =
      System.getenv().getOrDefault("ZMANIM_REHEARSAL_NET", "10.213.0");

  /** Machine-name prefix of the run's instances (at most 8 characters: vb-NAME must fit 15). */
  public static final String RUN_MACHINES =
      System.getenv().getOrDefault("ZMANIM_REHEARSAL_MACHINES", "zr");

  public static final String UP = "zr-up";
  public static final String UP_PREFIX = "10.213.1";

  private Bridges() {}
}
