package com.zmanim.rehearsal;

import java.time.Duration;

/** SQL inside the instance, as postgres over the local socket (what an operator on the box would run). */
public final class Psql {
    private final Instance instance;

    Psql(Instance instance) {
        this.instance = instance;
    }

    /** Runs {@code sql} in database {@code db}, stopping at the first error; tuples only, unaligned. */
    public String query(String db, String sql) {
        return instance.exec(Duration.ofSeconds(60), "runuser", "-u", "postgres", "--", "psql", "-X", "-v",
                "ON_ERROR_STOP=1", "-d", db, "-tAc", sql).check().out().strip();
    }
}
