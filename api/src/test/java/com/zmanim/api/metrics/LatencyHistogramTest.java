package com.zmanim.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Percentiles read from the buckets are within the buckets' precision of the exact ones. */
class LatencyHistogramTest {

  @Test
  void p50AndP99AreWithinThreePercentOfTheExactPercentiles() {
    Random random = new Random(42);
    LatencyHistogram h = new LatencyHistogram();
    double[] values = new double[10_000];
    for (int i = 0; i < values.length; i++) {
      // log-normal around 1 ms with a long tail, like a route under load
      values[i] = Math.exp(random.nextGaussian() * 1.2);
      h.record(values[i]);
    }
    Arrays.sort(values);
    long[] none = new long[LatencyHistogram.BUCKETS];
    long[] now = h.snapshot();
    assertThat(LatencyHistogram.quantile(now, none, 0.50))
        .isCloseTo(values[4_999], org.assertj.core.data.Percentage.withPercentage(3));
    assertThat(LatencyHistogram.quantile(now, none, 0.99))
        .isCloseTo(values[9_899], org.assertj.core.data.Percentage.withPercentage(3));
  }

  @Test
  void anIntervalCountsOnlyWhatCameAfterThePreviousSnapshot() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < 100; i++) {
      h.record(500);
    }
    long[] before = h.snapshot();
    h.record(2);
    assertThat(LatencyHistogram.quantile(h.snapshot(), before, 0.99))
        .isCloseTo(2, org.assertj.core.data.Percentage.withPercentage(3));
  }

  @Test
  void anEmptyIntervalHasNoPercentile() {
    LatencyHistogram h = new LatencyHistogram();
    assertThat(LatencyHistogram.quantile(h.snapshot(), h.snapshot(), 0.5)).isNaN();
  }

  @Test
  void extremeDurationsLandInTheOuterBuckets() {
    assertThat(LatencyHistogram.bucketOf(0)).isZero();
    assertThat(LatencyHistogram.bucketOf(-1)).isZero();
    assertThat(LatencyHistogram.bucketOf(10_000_000)).isEqualTo(LatencyHistogram.BUCKETS - 1);
  }
}
