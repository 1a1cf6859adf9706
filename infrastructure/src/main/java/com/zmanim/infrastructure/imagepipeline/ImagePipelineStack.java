package com.zmanim.infrastructure.imagepipeline;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.nag.Acknowledge;
import com.zmanim.infrastructure.naming.Naming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.OidcProviderNative;
import software.constructs.Construct;

/**
 * {@code ZmanimProdImagePipeline}: the GitHub OIDC provider (or an existing one from the
 * configuration; an account can hold only one per URL) and the AMI build role. Outputs the role's
 * ARN for the workflow's {@code role-to-assume}.
 */
public final class ImagePipelineStack extends Stack {

  /** The workflow whose Packer job may assume the build role. */
  public static final String AMI_WORKFLOW = ".github/workflows/build-ami.yml";

  public ImagePipelineStack(
      Construct scope, String id, StackProps props, ZmanimConfig config, Naming naming) {
    super(scope, id, props);
    naming.tag(this, "image-pipeline");

    String providerArn = config.githubOidcProviderArn();
    if (providerArn == null) {
      providerArn =
          OidcProviderNative.Builder.create(this, "GithubOidc")
              .url("https://" + AmiBuildRole.TOKEN_HOST)
              .clientIds(List.of("sts.amazonaws.com"))
              .build()
              .getOidcProviderArn();
    }
    String parameterPrefix =
        "arn:" + Aws.PARTITION + ":ssm:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":parameter";
    AmiBuildRole role =
        new AmiBuildRole(
            this,
            "AmiBuild",
            new AmiBuildRole.Props(
                providerArn,
                config.githubRepository(),
                naming.amiBuildEnvironment(),
                AMI_WORKFLOW,
                Naming.AMI_BUILD_TAG_KEY,
                naming.amiBuildTagValue(),
                config.instanceType(),
                List.of(
                    parameterPrefix + config.amiCandidateIdParameter(),
                    parameterPrefix + config.amiCandidateVersionParameter()),
                naming.resourceName("ami-build")));
    acknowledgeWildcards(role);

    CfnOutput.Builder.create(this, "AmiBuildRoleArn")
        .value(role.role().getRoleArn())
        .description(
            "role-to-assume of .github/workflows/build-ami.yml (repository variable AMI_BUILD_ROLE_ARN)")
        .build();
    // What the workflow needs besides the role, named by the configuration (repository variables).
    CfnOutput.Builder.create(this, "AmiBuildEnvironment")
        .value(naming.amiBuildEnvironment())
        .description(
            "GitHub environment of the workflow's image job (repository variable AMI_BUILD_ENVIRONMENT)")
        .build();
    CfnOutput.Builder.create(this, "AmiBuildTags")
        .value(Stack.of(this).toJsonString(naming.amiBuildTags()))
        .description(
            "Packer's build_tags, required by the role (repository variable AMI_BUILD_TAGS)")
        .build();
    CfnOutput.Builder.create(this, "AmiCandidateIdParameter")
        .value(config.amiCandidateIdParameter())
        .description(
            "where the workflow records the new AMI's id (repository variable AMI_CANDIDATE_ID_PARAMETER)")
        .build();
    CfnOutput.Builder.create(this, "AmiCandidateVersionParameter")
        .value(config.amiCandidateVersionParameter())
        .description(
            "where the workflow records its version (repository variable AMI_CANDIDATE_VERSION_PARAMETER)")
        .build();
  }

  /**
   * Each wildcard of the build role, with why it cannot be narrower (cdk-nag AwsSolutions-IAM5).
   */
  private static void acknowledgeWildcards(AmiBuildRole role) {
    String ec2 =
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:";
    Map<String, String> reasons = new LinkedHashMap<>();
    reasons.put(
        "AwsSolutions-IAM5[Resource::*]",
        "EC2 Describe* actions support no resource-level permissions; limited to the region by aws:RequestedRegion.");
    reasons.put(
        ec2 + "instance/*]",
        "The builder instance's id does not exist before the build: launched only with the build tag "
            + "(aws:RequestTag), stopped, terminated, modified and imaged only with it (ec2:ResourceTag).");
    reasons.put(
        ec2 + "volume/*]",
        "The builder's volumes are created by RunInstances: only with the build tag (aws:RequestTag).");
    reasons.put(
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>::image/*]",
        "RunInstances only from images owned by Debian's account (ec2:Owner); the new AMI's id does not "
            + "exist before CreateImage; Packer tags it afterwards, only with the template's tag keys.");
    reasons.put(
        ec2 + "snapshot/*]",
        "The new AMI's snapshot id does not exist before CreateImage. Create-only (no delete): "
            + "older AMIs and snapshots are never removed by a build.");
    reasons.put(
        ec2 + "subnet/*]",
        "RunInstances references the build subnet (the account's default VPC); referencing a subnet grants nothing on it.");
    reasons.put(
        ec2 + "network-interface/*]",
        "RunInstances creates the builder's network interface, whose id does not exist yet.");
    reasons.put(
        ec2 + "security-group/*]",
        "Packer's temporary security group id does not exist yet: created only with the build tag, "
            + "tagged only on creation, opened and deleted only while tagged; RunInstances may reference any.");
    reasons.put(
        ec2 + "key-pair/*]",
        "RunInstances references Packer's temporary key pair, whose name is random (packer_<uuid>).");
    reasons.put(
        ec2 + "key-pair/packer_*]",
        "Create and delete only key pairs named packer_*, the prefix Packer gives its temporary key.");
    reasons.put(
        ec2 + "vpc/*]",
        "CreateSecurityGroup needs the VPC the temporary group goes in (the build's default VPC).");
    Acknowledge.rules(role, reasons);
  }
}
