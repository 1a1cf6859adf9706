package com.zmanim.infrastructure.compute;

import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.CfnTag;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.CfnEIP;
import software.constructs.Construct;

/**
 * The Elastic IP. Not associated by CloudFormation: the boot logic associates it to whichever
 * instance the Auto Scaling group runs, so the address survives replacements. Retained on deletion
 * (CloudFront's origin and any allow-list point at it).
 */
public final class PublicAddress extends Construct {

  /**
   * @param name the Name tag
   */
  public record Props(String name) {
    public Props {
      Objects.requireNonNull(name, "name");
    }
  }

  private final CfnEIP eip;

  public PublicAddress(Construct scope, String id, Props props) {
    super(scope, id);
    eip =
        CfnEIP.Builder.create(this, "Eip")
            .domain("vpc")
            .tags(List.of(CfnTag.builder().key("Name").value(props.name()).build()))
            .build();
    eip.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }

  /** {@code eipalloc-...}: what the boot logic associates and the IAM policy names. */
  public String allocationId() {
    return eip.getAttrAllocationId();
  }

  public String address() {
    return eip.getAttrPublicIp();
  }
}
