package com.zmanim.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.model.AllocateAddressResponse;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The resources the CDK app would have created (data volume, Elastic IP, buckets, parameters...),
 * created in the emulated account on first reference from a template and remembered, so that every
 * later reference (another render, a policy document) gets the same id.
 */
public final class StackResources implements UserData.Resources {
  private final EmulatedAccount account;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> volumes = new LinkedHashMap<>();
  private final Map<String, String> buckets = new LinkedHashMap<>();

  StackResources(EmulatedAccount account) {
    this.account = account;
  }

  /** Logical id → volume id of the volumes created. */
  public synchronized Map<String, String> volumes() {
    return Map.copyOf(volumes);
  }

  /** Logical id → bucket name. */
  public synchronized Map<String, String> buckets() {
    return Map.copyOf(buckets);
  }

  @Override
  public synchronized String ref(String stack, String logicalId, JsonNode resource) {
    return memo(stack + "/" + logicalId + "/Ref", () -> create(stack, logicalId, resource, null));
  }

  @Override
  public synchronized String getAtt(
      String stack, String logicalId, JsonNode resource, String attribute) {
    return memo(
        stack + "/" + logicalId + "/" + attribute,
        () -> create(stack, logicalId, resource, attribute));
  }

  private String memo(String key, Supplier<String> make) {
    String v = values.get(key);
    if (v == null) {
      v = make.get();
      values.put(key, v);
    }
    return v;
  }

  private String create(String stack, String logicalId, JsonNode resource, String attribute) {
    String type = resource.path("Type").asText();
    JsonNode props = resource.path("Properties");
    String made =
        switch (type) {
          case "AWS::EC2::Volume" -> attribute != null ? null : volume(logicalId, props);
          case "AWS::EC2::EIP" -> eip(stack + "/" + logicalId + "/eip", attribute);
          case "AWS::S3::Bucket" -> bucket(stack, logicalId, props, attribute);
          case "AWS::AutoScaling::AutoScalingGroup" ->
              attribute == null ? stack + "-" + logicalId : null;
          case "AWS::SES::EmailIdentity" ->
              attribute == null ? props.path("EmailIdentity").asText() : null;
          case "AWS::SSM::Parameter" -> attribute == null ? parameter(logicalId, props) : null;
          default -> null;
        };
    if (made == null) {
      throw new IllegalStateException(
          "the rehearsal cannot emulate "
              + (attribute == null ? "Ref" : attribute)
              + " of "
              + type
              + " "
              + stack
              + "/"
              + logicalId
              + " (referenced by the user data)");
    }
    return made;
  }

  private String volume(String logicalId, JsonNode props) {
    String id =
        account
            .ec2()
            .createVolume(
                r ->
                    r.availabilityZone(account.az())
                        .size(props.path("Size").asInt(20))
                        .volumeType(props.path("VolumeType").asText("gp3"))
                        .encrypted(true))
            .volumeId();
    volumes.put(logicalId, id);
    return id;
  }

  private String eip(String key, String attribute) {
    String alloc =
        memo(
            key,
            () -> {
              AllocateAddressResponse a =
                  account.ec2().allocateAddress(r -> r.domain(DomainType.VPC));
              values.put(key + "/ip", a.publicIp());
              return a.allocationId();
            });
    if (attribute == null || attribute.equals("PublicIp")) {
      return values.get(key + "/ip");
    }
    return attribute.equals("AllocationId") ? alloc : null;
  }

  private String bucket(String stack, String logicalId, JsonNode props, String attribute) {
    String name =
        props.path("BucketName").isTextual()
            ? props.get("BucketName").asText()
            : ("zr-" + stack + "-" + logicalId)
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]", "-");
    String bucket = name.length() > 63 ? name.substring(0, 63) : name;
    if (!buckets.containsValue(bucket)) {
      account
          .s3()
          .createBucket(
              r ->
                  r.bucket(bucket)
                      .createBucketConfiguration(c -> c.locationConstraint(account.region())));
      if ("Enabled".equals(props.path("VersioningConfiguration").path("Status").asText())) {
        account
            .s3()
            .putBucketVersioning(
                r ->
                    r.bucket(bucket)
                        .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      }
      buckets.put(logicalId, bucket);
    }
    if (attribute == null) {
      return bucket;
    }
    return attribute.equals("Arn") ? "arn:aws:s3:::" + bucket : null;
  }

  /** CloudFormation names an unnamed parameter itself; the value is put when it is literal. */
  private String parameter(String logicalId, JsonNode props) {
    String name =
        props.path("Name").isTextual()
            ? props.get("Name").asText()
            : "CFN-" + logicalId + "-rehearsal";
    if (props.path("Value").isTextual()) {
      account
          .ssm()
          .putParameter(
              r ->
                  r.name(name)
                      .value(props.get("Value").asText())
                      .type(ParameterType.fromValue(props.path("Type").asText("String")))
                      .overwrite(true));
    }
    return name;
  }
}
