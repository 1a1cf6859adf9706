package com.zmanim.api.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Request latencies counted in logarithmic buckets (16 per doubling, so a percentile read from it
 * is within about 2.2 % of the true value), from 1 microsecond to past a minute. Lock-free: every
 * request adds one count; a reader takes a {@link #snapshot()} and subtracts the previous one, so
 * nothing recorded while a snapshot is taken is lost, it only counts in the next interval.
 */
final class LatencyHistogram {
  static final int BUCKETS_PER_DOUBLING = 16;

  /** 2^27 microseconds is 134 s, longer than any request may take (the stop timeout is 20 s). */
  static final int BUCKETS = 27 * BUCKETS_PER_DOUBLING + 1;

  private static final double LOG2 = Math.log(2);

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  void record(double millis) {
    recordBucket(bucketOf(millis));
  }

  void recordBucket(int bucket) {
    counts.incrementAndGet(bucket);
  }

  static int bucketOf(double millis) {
    double micros = millis * 1_000;
    if (!(micros > 1)) {
      return 0;
    }
    int bucket = (int) (Math.log(micros) / LOG2 * BUCKETS_PER_DOUBLING) + 1;
    return Math.min(bucket, BUCKETS - 1);
  }

  /** The value a bucket stands for, in milliseconds: the geometric middle of its bounds. */
  static double valueOf(int bucket) {
    if (bucket == 0) {
      return 0.001;
    }
    return Math.pow(2, (bucket - 0.5) / BUCKETS_PER_DOUBLING) / 1_000;
  }

  long[] snapshot() {
    long[] copy = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = counts.get(i);
    }
    return copy;
  }

  /**
   * The {@code quantile} (0 < q <= 1) of the counts between two snapshots, in milliseconds, or NaN
   * when nothing was counted: the smallest bucket value at or below which that share of requests
   * fell.
   */
  static double quantile(long[] now, long[] before, double quantile) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += now[i] - before[i];
    }
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += now[i] - before[i];
      if (seen >= rank) {
        return valueOf(i);
      }
    }
    return valueOf(BUCKETS - 1);
  }
}
