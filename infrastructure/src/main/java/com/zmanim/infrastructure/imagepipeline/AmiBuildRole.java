package com.zmanim.infrastructure.imagepipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.WebIdentityPrincipal;
import software.constructs.Construct;

/**
 * The role the AMI workflow assumes through GitHub's OIDC provider: trusted only for this
 * repository's {@code v*-ami} tags, allowed only what Packer's amazon-ebs builder needs (launch a
 * tagged builder instance, snapshot it into an AMI, clean up) and writing the two SSM parameters
 * the compute stack reads. Older AMIs are never deregistered: there is no DeregisterImage here.
 */
public final class AmiBuildRole extends Construct {

  public static final String TOKEN_HOST = "token.actions.githubusercontent.com";

  /**
   * @param providerArn    the GitHub OIDC provider's ARN (token when created in the same stack)
   * @param repository     {@code owner/name}
   * @param tagKey         tag Packer must put on the builder instance and volumes
   * @param tagValue       its value
   * @param parameterArns  the SSM parameters the workflow writes (AMI id and version)
   * @param roleName       the role's name
   */
  public record Props(String providerArn, String repository, String tagKey, String tagValue,
      List<String> parameterArns, String roleName) {
    public Props {
      Objects.requireNonNull(providerArn, "providerArn");
      Objects.requireNonNull(tagKey, "tagKey");
      Objects.requireNonNull(tagValue, "tagValue");
      Objects.requireNonNull(roleName, "roleName");
      if (repository == null || !repository.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("repository is invalid: " + repository + ": expected owner/name");
      }
      if (parameterArns == null || parameterArns.isEmpty()) {
        throw new IllegalArgumentException("parameterArns is invalid: the workflow must publish the AMI id");
      }
      parameterArns = List.copyOf(parameterArns);
    }
  }

  private final Role role;

  public AmiBuildRole(Construct scope, String id, Props props) {
    super(scope, id);
    role = Role.Builder.create(this, "Role")
        .roleName(props.roleName())
        .description("GitHub Actions AMI build (" + props.repository() + ", tags v*-ami): Packer amazon-ebs + AMI id in SSM")
        .maxSessionDuration(Duration.hours(2))
        .assumedBy(new WebIdentityPrincipal(props.providerArn(), Map.of(
            "StringEquals", Map.of(TOKEN_HOST + ":aud", "sts.amazonaws.com"),
            "StringLike", Map.of(TOKEN_HOST + ":sub", "repo:" + props.repository() + ":ref:refs/tags/v*-ami"))))
        .inlinePolicies(Map.of("packer-amazon-ebs", PolicyDocument.Builder.create()
            .statements(statements(props))
            .build()))
        .build();
  }

  public Role role() {
    return role;
  }

  private static List<PolicyStatement> statements(Props p) {
    String ec2 = "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
    String ec2AnyOwner = "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + "::";
    Map<String, Object> requestTagged = Map.of("StringEquals", Map.of("aws:RequestTag/" + p.tagKey(), p.tagValue()));
    Map<String, Object> resourceTagged = Map.of("StringEquals", Map.of("ec2:ResourceTag/" + p.tagKey(), p.tagValue()));
    Map<String, Object> thisRegion = Map.of("StringEquals", Map.of("aws:RequestedRegion", Aws.REGION));

    List<PolicyStatement> s = new ArrayList<>();
    // Read-only discovery (source AMI filter, subnet, instance state, snapshot progress). EC2's
    // Describe* actions support no resource-level permissions: scoped to the region instead.
    s.add(allow("Describe", List.of("ec2:DescribeImages", "ec2:DescribeImageAttribute", "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus", "ec2:DescribeRegions", "ec2:DescribeSecurityGroups", "ec2:DescribeSnapshots",
        "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeTags", "ec2:DescribeVolumes",
        "ec2:DescribeKeyPairs"), List.of("*"), thisRegion));
    // The builder instance and its volumes must carry the build tag at launch (Packer run_tags,
    // run_volume_tags).
    s.add(allow("RunTaggedBuilder", List.of("ec2:RunInstances"),
        List.of(ec2 + "instance/*", ec2 + "volume/*"), requestTagged));
    // The other resources a launch references: any image of the region (the Debian source AMI is
    // owned by another account), the subnet, network interface, security group and key pair.
    s.add(allow("RunWithResources", List.of("ec2:RunInstances"), List.of(ec2AnyOwner + "image/*",
        ec2 + "subnet/*", ec2 + "network-interface/*", ec2 + "security-group/*", ec2 + "key-pair/*"), null));
    s.add(allow("TagOnLaunch", List.of("ec2:CreateTags"), List.of(ec2 + "instance/*", ec2 + "volume/*"),
        Map.of("StringEquals", Map.of("ec2:CreateAction", "RunInstances"))));
    s.add(allow("ManageTaggedBuilder", List.of("ec2:StopInstances", "ec2:TerminateInstances",
        "ec2:ModifyInstanceAttribute", "ec2:CreateImage"), List.of(ec2 + "instance/*"), resourceTagged));
    // The new AMI and its snapshot (their ids do not exist before CreateImage; Packer tags them
    // after creation, so a tag condition cannot apply).
    s.add(allow("CreateImageAndSnapshot", List.of("ec2:CreateImage", "ec2:CreateSnapshot", "ec2:CreateTags",
        "ec2:RegisterImage"), List.of(ec2AnyOwner + "image/*", ec2 + "snapshot/*"), null));
    // Packer's temporary SSH key pair (named packer_<uuid>) and temporary security group.
    s.add(allow("TemporaryKeyPair", List.of("ec2:CreateKeyPair", "ec2:DeleteKeyPair"),
        List.of(ec2 + "key-pair/packer_*"), null));
    // Packer's temporary security group: created only with the build tag (run_tags), tagged only
    // as part of its creation, opened and deleted only while it carries the tag. So the role can
    // never open another group of the account, such as the API's.
    s.add(allow("TemporarySecurityGroupInVpc", List.of("ec2:CreateSecurityGroup"), List.of(ec2 + "vpc/*"), null));
    s.add(allow("TemporarySecurityGroupTagged", List.of("ec2:CreateSecurityGroup"),
        List.of(ec2 + "security-group/*"), requestTagged));
    s.add(allow("TagSecurityGroupOnCreate", List.of("ec2:CreateTags"), List.of(ec2 + "security-group/*"),
        Map.of("StringEquals", Map.of("ec2:CreateAction", "CreateSecurityGroup"))));
    s.add(allow("ManageTemporarySecurityGroup", List.of("ec2:AuthorizeSecurityGroupIngress",
        "ec2:DeleteSecurityGroup"), List.of(ec2 + "security-group/*"), resourceTagged));
    s.add(allow("PublishAmiId", List.of("ssm:PutParameter", "ssm:GetParameter"), p.parameterArns(), null));
    return s;
  }

  private static PolicyStatement allow(String sid, List<String> actions, List<String> resources,
      Map<String, Object> conditions) {
    PolicyStatement.Builder b = PolicyStatement.Builder.create()
        .sid(sid).effect(Effect.ALLOW).actions(actions).resources(resources);
    if (conditions != null) {
      b.conditions(conditions);
    }
    return b.build();
  }
}
