package com.zmanim.infrastructure.network;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.infrastructure.config.ResourceText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnMapping;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;

/**
 * CloudFront's origin-facing managed prefix list id per region, from the resource file {@code
 * network/cloudfront-origin-facing-prefix-lists.json}. No AWS call at synth.
 */
public final class CloudFrontPrefixLists {

  private static final String RESOURCE = "network/cloudfront-origin-facing-prefix-lists.json";

  private CloudFrontPrefixLists() {}

  /** Region → prefix list id, sorted by region. */
  public static Map<String, String> byRegion() {
    try {
      Map<String, String> raw =
          new ObjectMapper().readValue(ResourceText.read(RESOURCE), new TypeReference<>() {});
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
      throw new IllegalArgumentException(
          "apiIngressSource is unset and region "
              + region
              + " has no CloudFront origin-facing prefix list in "
              + RESOURCE
              + ": pass -c apiIngressSource=pl-... (aws ec2 describe-managed-prefix-lists)");
    }
    return id;
  }

  /**
   * The configured ingress source if set, else the stack's region's CloudFront prefix list (a
   * mapping lookup, with construct id {@code CloudFrontOriginFacing}, when the stack is
   * environment-agnostic).
   */
  public static String ingressSource(Stack stack, String configured) {
    if (configured != null) {
      return configured;
    }
    if (!Token.isUnresolved(stack.getRegion())) {
      return forRegion(stack.getRegion());
    }
    Map<String, Map<String, Object>> mapping = new LinkedHashMap<>();
    byRegion().forEach((region, pl) -> mapping.put(region, Map.of("PrefixListId", pl)));
    return CfnMapping.Builder.create(stack, "CloudFrontOriginFacing")
        .mapping(mapping)
        .build()
        .findInMap(Aws.REGION, "PrefixListId");
  }
}
