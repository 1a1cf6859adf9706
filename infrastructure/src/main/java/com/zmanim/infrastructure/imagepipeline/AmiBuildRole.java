package com.zmanim.infrastructure.imagepipeline;

import static com.zmanim.infrastructure.compute.IamStatements.allow;

import com.zmanim.infrastructure.Ordered;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.WebIdentityPrincipal;
import software.constructs.Construct;

/**
 * The role the AMI workflow assumes through GitHub's OIDC provider: trusted only for the Packer job
 * of this repository's build workflow, running in its GitHub environment (required reviewers) on a
 * {@code v*-ami} tag; allowed only what Packer's amazon-ebs builder needs (launch a tagged builder
 * of the one instance type from Debian's own image, snapshot it into an AMI, tag it with the
 * template's keys, clean up) and writing the two candidate parameters. It can never choose the
 * production image: {@code ami-id} is written by the promotion step only. Older AMIs are never
 * deregistered: there is no DeregisterImage here.
 */
public final class AmiBuildRole extends Construct {

  public static final String TOKEN_HOST = "token.actions.githubusercontent.com";

  /** The account that publishes Debian's official cloud images (Packer's source_ami_owner). */
  public static final String DEBIAN_IMAGE_OWNER = "136693071363";

  /** The tag keys the Packer template's {@code tags} block puts on the new AMI. */
  public static final List<String> IMAGE_TAG_KEYS =
      List.of("Name", "Project", "Version", "ApiVersion", "BaseAmi", "BaseAmiName");

  /**
   * @param providerArn the GitHub OIDC provider's ARN (token when created in the same stack)
   * @param repository {@code owner/name}
   * @param environment the GitHub environment (with required reviewers) the Packer job runs in
   * @param workflowPath the workflow file, e.g. {@code .github/workflows/build-ami.yml}
   * @param tagKey tag Packer must put on the builder instance and volumes
   * @param tagValue its value
   * @param instanceType the only instance type the builder may be
   * @param parameterArns the SSM parameters the workflow writes (candidate AMI id and version)
   * @param roleName the role's name
   */
  public record Props(
      String providerArn,
      String repository,
      String environment,
      String workflowPath,
      String tagKey,
      String tagValue,
      String instanceType,
      List<String> parameterArns,
      String roleName) {
    public Props {
      Objects.requireNonNull(instanceType, "instanceType");
      if (environment == null || !environment.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("environment is invalid: " + environment);
      }
      if (workflowPath == null
          || !workflowPath.matches("\\.github/workflows/[A-Za-z0-9_.-]+\\.ya?ml")) {
        throw new IllegalArgumentException("workflowPath is invalid: " + workflowPath);
      }
      Objects.requireNonNull(providerArn, "providerArn");
      Objects.requireNonNull(tagKey, "tagKey");
      Objects.requireNonNull(tagValue, "tagValue");
      Objects.requireNonNull(roleName, "roleName");
      if (repository == null || !repository.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException(
            "repository is invalid: " + repository + ": expected owner/name");
      }
      if (parameterArns == null || parameterArns.isEmpty()) {
        throw new IllegalArgumentException(
            "parameterArns is invalid: the workflow must publish the AMI id");
      }
      parameterArns = List.copyOf(parameterArns);
    }
  }

  private final Role role;

  public AmiBuildRole(Construct scope, String id, Props props) {
    super(scope, id);
    role =
        Role.Builder.create(this, "Role")
            .roleName(props.roleName())
            .description(
                "GitHub Actions AMI build ("
                    + props.repository()
                    + " "
                    + props.workflowPath()
                    + ", environment "
                    + props.environment()
                    + ", tags v*-ami): Packer amazon-ebs + candidate AMI id in SSM")
            .maxSessionDuration(Duration.hours(2))
            .assumedBy(
                new WebIdentityPrincipal(
                    props.providerArn(),
                    Ordered.map(
                        "StringEquals", Map.of(TOKEN_HOST + ":aud", "sts.amazonaws.com"),
                        "StringLike", Map.of(TOKEN_HOST + ":sub", subject(props)))))
            .inlinePolicies(
                Map.of(
                    "packer-amazon-ebs",
                    PolicyDocument.Builder.create().statements(statements(props)).build()))
            .build();
  }

  public Role role() {
    return role;
  }

  /**
   * The token's subject with the repository's OIDC subject claim customised to {@code repo,
   * context, job_workflow_ref} (a one-time repository setting, ADR 0012): only a job in the
   * environment, running this workflow file from a {@code v*-ami} tag, matches.
   */
  public static String subject(Props p) {
    return "repo:"
        + p.repository()
        + ":environment:"
        + p.environment()
        + ":job_workflow_ref:"
        + p.repository()
        + "/"
        + p.workflowPath()
        + "@refs/tags/v*-ami";
  }

  private static List<PolicyStatement> statements(Props p) {
    String ec2 = "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
    String ec2AnyOwner = "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + "::";
    Map<String, Object> requestTagged =
        Map.of("StringEquals", Map.of("aws:RequestTag/" + p.tagKey(), p.tagValue()));
    Map<String, Object> resourceTagged =
        Map.of("StringEquals", Map.of("ec2:ResourceTag/" + p.tagKey(), p.tagValue()));
    Map<String, Object> thisRegion =
        Map.of("StringEquals", Map.of("aws:RequestedRegion", Aws.REGION));

    List<PolicyStatement> s = new ArrayList<>();
    // Read-only discovery (source AMI filter, subnet, instance state, snapshot progress). EC2's
    // Describe* actions support no resource-level permissions: scoped to the region instead.
    s.add(
        allow(
            "Describe",
            List.of(
                "ec2:DescribeImages",
                "ec2:DescribeImageAttribute",
                "ec2:DescribeInstances",
                "ec2:DescribeInstanceStatus",
                "ec2:DescribeRegions",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSnapshots",
                "ec2:DescribeSubnets",
                "ec2:DescribeVpcs",
                "ec2:DescribeTags",
                "ec2:DescribeVolumes",
                "ec2:DescribeKeyPairs"),
            List.of("*"),
            thisRegion));
    // The builder instance and its volumes must carry the build tag at launch (Packer run_tags,
    // run_volume_tags); the instance must be of the one builder type.
    s.add(
        allow(
            "RunTaggedBuilder",
            List.of("ec2:RunInstances"),
            List.of(ec2 + "instance/*"),
            Map.of(
                "StringEquals",
                Ordered.map(
                    "aws:RequestTag/" + p.tagKey(),
                    p.tagValue(),
                    "ec2:InstanceType",
                    p.instanceType()))));
    s.add(
        allow(
            "RunTaggedBuilderVolumes",
            List.of("ec2:RunInstances"),
            List.of(ec2 + "volume/*"),
            requestTagged));
    // The source image: Debian's own account's only (the source AMI filter's owner).
    s.add(
        allow(
            "RunFromDebianImage",
            List.of("ec2:RunInstances"),
            List.of(ec2AnyOwner + "image/*"),
            Map.of("StringEquals", Map.of("ec2:Owner", DEBIAN_IMAGE_OWNER))));
    // The other resources a launch references: the subnet, network interface, security group and
    // key pair.
    s.add(
        allow(
            "RunWithResources",
            List.of("ec2:RunInstances"),
            List.of(
                ec2 + "subnet/*",
                ec2 + "network-interface/*",
                ec2 + "security-group/*",
                ec2 + "key-pair/*"),
            null));
    s.add(
        allow(
            "TagOnLaunch",
            List.of("ec2:CreateTags"),
            List.of(ec2 + "instance/*", ec2 + "volume/*"),
            Map.of("StringEquals", Map.of("ec2:CreateAction", "RunInstances"))));
    s.add(
        allow(
            "ManageTaggedBuilder",
            List.of(
                "ec2:StopInstances",
                "ec2:TerminateInstances",
                "ec2:ModifyInstanceAttribute",
                "ec2:CreateImage"),
            List.of(ec2 + "instance/*"),
            resourceTagged));
    // The new AMI and its snapshot (their ids do not exist before CreateImage).
    s.add(
        allow(
            "CreateImageAndSnapshot",
            List.of("ec2:CreateImage", "ec2:CreateSnapshot", "ec2:RegisterImage"),
            List.of(ec2AnyOwner + "image/*", ec2 + "snapshot/*"),
            null));
    // Packer tags the new AMI after creating it: only with the template's tag keys and
    // Project=zmanim,
    // so the role cannot retag other images with anything else.
    s.add(
        allow(
            "TagNewImage",
            List.of("ec2:CreateTags"),
            List.of(ec2AnyOwner + "image/*"),
            Ordered.map(
                "ForAllValues:StringEquals", Map.of("aws:TagKeys", IMAGE_TAG_KEYS),
                "StringEquals", Map.of("aws:RequestTag/Project", "zmanim"))));
    // Packer's temporary SSH key pair (named packer_<uuid>) and temporary security group.
    s.add(
        allow(
            "TemporaryKeyPair",
            List.of("ec2:CreateKeyPair", "ec2:DeleteKeyPair"),
            List.of(ec2 + "key-pair/packer_*"),
            null));
    // Packer's temporary security group: created only with the build tag (run_tags), tagged only
    // as part of its creation, opened and deleted only while it carries the tag. So the role can
    // never open another group of the account, such as the API's.
    s.add(
        allow(
            "TemporarySecurityGroupInVpc",
            List.of("ec2:CreateSecurityGroup"),
            List.of(ec2 + "vpc/*"),
            null));
    s.add(
        allow(
            "TemporarySecurityGroupTagged",
            List.of("ec2:CreateSecurityGroup"),
            List.of(ec2 + "security-group/*"),
            requestTagged));
    s.add(
        allow(
            "TagSecurityGroupOnCreate",
            List.of("ec2:CreateTags"),
            List.of(ec2 + "security-group/*"),
            Map.of("StringEquals", Map.of("ec2:CreateAction", "CreateSecurityGroup"))));
    s.add(
        allow(
            "ManageTemporarySecurityGroup",
            List.of("ec2:AuthorizeSecurityGroupIngress", "ec2:DeleteSecurityGroup"),
            List.of(ec2 + "security-group/*"),
            resourceTagged));
    s.add(
        allow(
            "PublishAmiCandidate",
            List.of("ssm:PutParameter", "ssm:GetParameter"),
            p.parameterArns(),
            null));
    return s;
  }
}
