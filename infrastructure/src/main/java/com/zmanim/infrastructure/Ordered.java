package com.zmanim.infrastructure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Unmodifiable maps that iterate in the order they are written. The CDK writes a Java map's entries
 * into the template in its iteration order, and {@code Map.of}'s order changes with every JVM: two
 * syntheses of the same app would differ (conditions, metric dimensions, a custom resource's
 * parameters). Every map of more than one entry that reaches a construct is one of these.
 */
public final class Ordered {

  private Ordered() {}

  public static <K, V> Map<K, V> map(K k1, V v1, K k2, V v2) {
    return of(Map.entry(k1, v1), Map.entry(k2, v2));
  }

  public static <K, V> Map<K, V> map(K k1, V v1, K k2, V v2, K k3, V v3) {
    return of(Map.entry(k1, v1), Map.entry(k2, v2), Map.entry(k3, v3));
  }

  public static <K, V> Map<K, V> map(K k1, V v1, K k2, V v2, K k3, V v3, K k4, V v4, K k5, V v5) {
    return of(
        Map.entry(k1, v1),
        Map.entry(k2, v2),
        Map.entry(k3, v3),
        Map.entry(k4, v4),
        Map.entry(k5, v5));
  }

  /** A copy of {@code map} that keeps its iteration order (e.g. a caller's LinkedHashMap's). */
  public static <K, V> Map<K, V> copyOf(Map<K, V> map) {
    Map<K, V> m = new LinkedHashMap<>();
    map.forEach((k, v) -> m.put(Objects.requireNonNull(k), Objects.requireNonNull(v)));
    return Collections.unmodifiableMap(m);
  }

  /** The entries in the order given; like {@code Map.ofEntries}, no null and no key twice. */
  @SafeVarargs
  public static <K, V> Map<K, V> of(Map.Entry<K, V>... entries) {
    Map<K, V> m = new LinkedHashMap<>();
    for (Map.Entry<K, V> e : entries) {
      if (m.put(Objects.requireNonNull(e.getKey()), Objects.requireNonNull(e.getValue())) != null) {
        throw new IllegalArgumentException("duplicate key: " + e.getKey());
      }
    }
    return Collections.unmodifiableMap(m);
  }
}
