package com.zmanim.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The emulated AWS account: moto, reached one way only, through AWS SDK for Java v2 clients pointed
 * at it (endpoint override, the region, static test credentials moto does not check while its IAM
 * checks are off). Holds the resources the CDK app would have created ({@link StackResources}, on
 * first reference from the user data) and seeds what the harness adds before a boot: secrets, the
 * SES identity, the instance record. A moto that does not answer is an error, never "nothing
 * there".
 */
public final class EmulatedAccount implements UserData.Resources, AutoCloseable {
  /**
   * The static credentials every harness call uses (moto's IAM checks are off unless a scenario
   * turns them on).
   */
  public static final AwsCredentials TEST_CREDENTIALS =
      AwsBasicCredentials.create("rehearsal", "rehearsal");

  private final URI endpoint;
  private final Region region;
  private final SdkHttpClient http =
      UrlConnectionHttpClient.builder()
          .connectionTimeout(Duration.ofSeconds(2))
          .socketTimeout(Duration.ofSeconds(60))
          .build();
  private final Ec2Client ec2;
  private final SsmClient ssm;
  private final S3Client s3;
  private final SesClient ses;
  private final IamClient iam;
  private final SecretsManagerClient secretsManager;
  private final StackResources resources;
  private volatile String az;

  public EmulatedAccount(String endpoint, String region, String az) {
    this.endpoint = URI.create(endpoint);
    this.region = Region.of(region);
    this.az = az;
    this.ec2 = client(Ec2Client.builder(), TEST_CREDENTIALS);
    this.ssm = client(SsmClient.builder(), TEST_CREDENTIALS);
    this.s3 = s3(TEST_CREDENTIALS);
    this.ses = client(SesClient.builder(), TEST_CREDENTIALS);
    // IAM is global: moto serves it on the same endpoint, signed for us-east-1 as AWS's is.
    this.iam =
        IamClient.builder()
            .endpointOverride(this.endpoint)
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(StaticCredentialsProvider.create(TEST_CREDENTIALS))
            .httpClient(http)
            .build();
    this.secretsManager = client(SecretsManagerClient.builder(), TEST_CREDENTIALS);
    this.resources = new StackResources(this);
  }

  private <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(
      B builder, AwsCredentials credentials) {
    return builder
        .endpointOverride(endpoint)
        .region(region)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClient(http)
        .build();
  }

  /**
   * An S3 client acting with {@code credentials} (e.g. an IAM user's keys while moto's IAM checks
   * are on); path-style (moto is addressed by IP), checksums only where S3 requires them (moto does
   * not read the SDK's trailing checksums on every call).
   */
  public S3Client s3(AwsCredentials credentials) {
    return client(
        S3Client.builder()
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED),
        credentials);
  }

  public String endpoint() {
    return endpoint.toString();
  }

  public String region() {
    return region.id();
  }

  public Ec2Client ec2() {
    return ec2;
  }

  public SsmClient ssm() {
    return ssm;
  }

  public S3Client s3() {
    return s3;
  }

  public SesClient ses() {
    return ses;
  }

  public IamClient iam() {
    return iam;
  }

  public SecretsManagerClient secretsManager() {
    return secretsManager;
  }

  public String az() {
    return az;
  }

  /**
   * The AZ new volumes and instances are created in from now on (a deploy with another {@code
   * dataVolumeAz}: the launch template's subnet and the new volume move together).
   */
  public void useAz(String az) {
    this.az = az;
  }

  /** The resources created for the templates: logical id → volume id, bucket name... */
  public StackResources resources() {
    return resources;
  }

  @Override
  public String ref(String stack, String logicalId, JsonNode resource) {
    return resources.ref(stack, logicalId, resource);
  }

  @Override
  public String getAtt(String stack, String logicalId, JsonNode resource, String attribute) {
    return resources.getAtt(stack, logicalId, resource, attribute);
  }

  /** Puts a SecureString parameter (a secret) into SSM. */
  public void putSecret(String name, String value) {
    ssm.putParameter(
        r -> r.name(name).value(value).type(ParameterType.SECURE_STRING).overwrite(true));
  }

  /** Puts a String parameter into SSM. */
  public void putString(String name, String value) {
    ssm.putParameter(r -> r.name(name).value(value).type(ParameterType.STRING).overwrite(true));
  }

  public void deleteParameter(String name) {
    ssm.deleteParameter(r -> r.name(name));
  }

  /** A parameter's value as SSM holds it (decrypted). */
  public String parameter(String name) {
    return ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter().value();
  }

  public void verifySesIdentity(String email) {
    ses.verifyEmailIdentity(r -> r.emailAddress(email));
  }

  /**
   * The instance record the boot logic sees as "itself" (run-instances in the chosen AZ); its id.
   */
  public String runInstance() {
    return ec2.runInstances(
            r ->
                r.imageId("ami-12c6146b")
                    .instanceType("m7g.medium")
                    .minCount(1)
                    .maxCount(1)
                    .placement(p -> p.availabilityZone(az)))
        .instances()
        .getFirst()
        .instanceId();
  }

  /** Termination as the ASG does it: the volume is released, the record terminated. */
  public void terminateInstance(String instanceId) {
    for (String vol : resources.volumes().values()) {
      if (attachedTo(vol).filter(instanceId::equals).isPresent()) {
        ec2.detachVolume(r -> r.volumeId(vol).instanceId(instanceId).force(true));
      }
    }
    ec2.terminateInstances(r -> r.instanceIds(instanceId));
  }

  /** moto's record of a volume. */
  public Volume volume(String volumeId) {
    return ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes().getFirst();
  }

  /** moto's record of an Elastic IP. */
  public Address address(String allocationId) {
    return ec2.describeAddresses(r -> r.allocationIds(allocationId)).addresses().getFirst();
  }

  /**
   * The instance the volume is attached (or being attached) to, according to moto; empty when none.
   * Throws when moto does not answer.
   */
  public Optional<String> attachedTo(String volumeId) {
    return volume(volumeId).attachments().stream()
        .filter(
            a ->
                List.of(VolumeAttachmentState.ATTACHING, VolumeAttachmentState.ATTACHED)
                    .contains(a.state()))
        .map(a -> a.instanceId())
        .findFirst();
  }

  @Override
  public void close() {
    List.of(ec2, ssm, s3, ses, iam, secretsManager).forEach(c -> c.close());
    http.close();
  }
}
