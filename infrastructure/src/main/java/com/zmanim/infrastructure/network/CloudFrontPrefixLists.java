package com.zmanim.infrastructure.network;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.infrastructure.config.ResourceText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * CloudFront's origin-facing managed prefix list id per region, from the resource file
 * {@code network/cloudfront-origin-facing-prefix-lists.json}. No AWS call at synth.
 */
public final class CloudFrontPrefixLists {

  private static final String RESOURCE = "network/cloudfront-origin-facing-prefix-lists.json";

  private CloudFrontPrefixLists() {
  }

  /** Region → prefix list id, sorted by region. */
  public static Map<String, String> byRegion() {
    try {
      Map<String, String> raw = new ObjectMapper().readValue(ResourceText.read(RESOURCE), new TypeReference<>() { });
      Map<String, String> regions = new TreeMap<>(raw);
      regions.keySet().removeIf(k -> k.startsWith("_"));
      return regions;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + RESOURCE, e);
    }
  }

  /** The id for a known region; fails naming the region and the way out when it is not listed. */
  public static String forRegion(String region) {
    String id = byRegion().get(region);
    if (id == null) {
      throw new IllegalArgumentException("apiIngressSource is unset and region " + region
          + " has no CloudFront origin-facing prefix list in " + RESOURCE
          + ": pass -c apiIngressSource=pl-... (aws ec2 describe-managed-prefix-lists)");
    }
    return id;
  }
}
