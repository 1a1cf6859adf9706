package com.zmanim.rehearsal;

/** The rehearsal's bridges: one for scenario runs, one for the instance `make rehearse-up` leaves up. */
public final class Bridges {
    public static final String RUN = "zr-run";
    public static final String RUN_PREFIX = "10.213.0";
    public static final String UP = "zr-up";
    public static final String UP_PREFIX = "10.213.1";

    private Bridges() {
    }
}
