package com.zmanim.infrastructure.compute;

import com.zmanim.infrastructure.Ordered;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The image the instance may launch: the AMI id named by the SSM parameter, but only if this
 * account owns it. At every deploy (the id is a parameter resolved by CloudFormation) a custom
 * resource asks EC2 for that id among the images owned by {@code self}; an image of another account
 * (a public look-alike, a shared image) is not found, the custom resource fails and the deploy
 * rolls back. The launch template takes the id from the answer, so no other path leads to an
 * instance.
 */
public final class OwnedImage extends Construct {

  /**
   * @param imageId the AMI id to check (a token: the SSM-typed CloudFormation parameter's value)
   */
  public record Props(String imageId) {
    public Props {
      Objects.requireNonNull(imageId, "imageId");
    }
  }

  private final AwsCustomResource check;

  public OwnedImage(Construct scope, String id, Props props) {
    super(scope, id);
    AwsSdkCall describe =
        AwsSdkCall.builder()
            .service("EC2")
            .action("describeImages")
            .parameters(
                Ordered.map("Owners", List.of("self"), "ImageIds", List.of(props.imageId())))
            // A new id is a new physical resource: the check runs again for every image change.
            .physicalResourceId(PhysicalResourceId.of(props.imageId()))
            .outputPaths(List.of("Images.0.ImageId"))
            .build();
    check =
        AwsCustomResource.Builder.create(this, "OwnedBySelf")
            .onCreate(describe)
            .onUpdate(describe)
            .installLatestAwsSdk(false)
            .policy(
                AwsCustomResourcePolicy.fromStatements(
                    List.of(
                        PolicyStatement.Builder.create()
                            .actions(List.of("ec2:DescribeImages"))
                            .resources(List.of("*"))
                            .build())))
            .build();
  }

  /**
   * The stack-wide function that runs every AwsCustomResource call of the stack (created by the
   * first one): acknowledgements and checkov skips go on it.
   */
  public static IConstruct provider(Stack stack) {
    return stack
        .getNode()
        .findChild("AWS" + AwsCustomResource.PROVIDER_FUNCTION_UUID.replace("-", ""));
  }

  /**
   * The AMI id, as EC2 returned it for images owned by this account (fails the deploy otherwise).
   */
  public String imageId() {
    return check.getResponseField("Images.0.ImageId");
  }

  public AwsCustomResource check() {
    return check;
  }
}
