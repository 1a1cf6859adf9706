package com.zmanim.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulated AWS account in moto: creates, on first reference from the user data, the resources
 * the CDK app would have created (data volume, Elastic IP, buckets...), and the things the harness
 * adds before boot (secrets, SES identity, the instance record).
 */
public final class Account implements UserData.Resources {
    private final Moto moto;
    private volatile String az;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> volumes = new LinkedHashMap<>();
    private final Map<String, String> buckets = new LinkedHashMap<>();

    public Account(Moto moto, String az) {
        this.moto = moto;
        this.az = az;
    }

    public Moto moto() {
        return moto;
    }

    public String az() {
        return az;
    }

    /**
     * The AZ new volumes and instances are created in from now on (a deploy with another
     * {@code dataVolumeAz}: the launch template's subnet and the new volume move together).
     */
    public void useAz(String az) {
        this.az = az;
    }

    /** Logical id → volume id of the volumes created for the user data. */
    public Map<String, String> volumes() {
        return Map.copyOf(volumes);
    }

    /** Logical id → bucket name. */
    public Map<String, String> buckets() {
        return Map.copyOf(buckets);
    }

    @Override
    public String ref(String stack, String logicalId, JsonNode resource) {
        return memo(stack + "/" + logicalId + "/Ref", () -> create(stack, logicalId, resource, null));
    }

    @Override
    public String getAtt(String stack, String logicalId, JsonNode resource, String attribute) {
        return memo(stack + "/" + logicalId + "/" + attribute, () -> create(stack, logicalId, resource, attribute));
    }

    private String memo(String key, java.util.function.Supplier<String> make) {
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
        switch (type) {
            case "AWS::EC2::Volume": {
                if (attribute != null) {
                    break;
                }
                JsonNode v = moto.aws("ec2", "create-volume", "--availability-zone", az, "--size",
                        props.path("Size").asText("20"), "--volume-type", props.path("VolumeType").asText("gp3"),
                        "--encrypted");
                volumes.put(logicalId, v.get("VolumeId").asText());
                return v.get("VolumeId").asText();
            }
            case "AWS::EC2::EIP": {
                String key = stack + "/" + logicalId + "/eip";
                String alloc = memo(key, () -> {
                    JsonNode a = moto.aws("ec2", "allocate-address", "--domain", "vpc");
                    values.put(key + "/ip", a.get("PublicIp").asText());
                    return a.get("AllocationId").asText();
                });
                if (attribute == null || attribute.equals("PublicIp")) {
                    return values.get(key + "/ip");
                }
                if (attribute.equals("AllocationId")) {
                    return alloc;
                }
                break;
            }
            case "AWS::S3::Bucket": {
                String name = props.path("BucketName").isTextual() ? props.get("BucketName").asText()
                        : ("zr-" + stack + "-" + logicalId).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
                name = name.length() > 63 ? name.substring(0, 63) : name;
                if (!buckets.containsValue(name)) {
                    moto.aws("s3api", "create-bucket", "--bucket", name, "--create-bucket-configuration",
                            "LocationConstraint=" + moto.region());
                    if ("Enabled".equals(props.path("VersioningConfiguration").path("Status").asText())) {
                        moto.aws("s3api", "put-bucket-versioning", "--bucket", name,
                                "--versioning-configuration", "Status=Enabled");
                    }
                    buckets.put(logicalId, name);
                }
                if (attribute == null) {
                    return name;
                }
                if (attribute.equals("Arn")) {
                    return "arn:aws:s3:::" + name;
                }
                break;
            }
            case "AWS::AutoScaling::AutoScalingGroup":
                if (attribute == null) {
                    return stack + "-" + logicalId;
                }
                break;
            case "AWS::SES::EmailIdentity":
                if (attribute == null) {
                    return props.path("EmailIdentity").asText();
                }
                break;
            case "AWS::SSM::Parameter":
                if (attribute == null) {
                    // CloudFormation names an unnamed parameter itself; the value is put when it is literal.
                    String name = props.path("Name").isTextual() ? props.get("Name").asText()
                            : "CFN-" + logicalId + "-rehearsal";
                    if (props.path("Value").isTextual()) {
                        moto.aws("ssm", "put-parameter", "--name", name, "--type", props.path("Type").asText("String"),
                                "--value", props.get("Value").asText(), "--overwrite");
                    }
                    return name;
                }
                break;
            default:
                break;
        }
        throw new IllegalStateException("the rehearsal cannot emulate " + (attribute == null ? "Ref" : attribute)
                + " of " + type + " " + stack + "/" + logicalId + " (referenced by the user data)");
    }

    /** Puts a SecureString parameter (a secret) into moto's SSM. */
    public void putSecret(String name, String value) {
        moto.aws("ssm", "put-parameter", "--name", name, "--type", "SecureString", "--value", value, "--overwrite");
    }

    public void putString(String name, String value) {
        moto.aws("ssm", "put-parameter", "--name", name, "--type", "String", "--value", value, "--overwrite");
    }

    public void verifySesIdentity(String email) {
        moto.aws("ses", "verify-email-identity", "--email-address", email);
    }

    /** The instance record the boot logic sees as "itself" (run-instances in the chosen AZ). */
    public String runInstance() {
        JsonNode r = moto.aws("ec2", "run-instances", "--image-id", "ami-12c6146b", "--instance-type", "m7g.medium",
                "--count", "1", "--placement", "AvailabilityZone=" + az);
        return r.get("Instances").get(0).get("InstanceId").asText();
    }

    /** Termination as the ASG does it: the volume is released, the record terminated. */
    public void terminateInstance(String instanceId) {
        for (String vol : volumes.values()) {
            if (attachedTo(vol).filter(instanceId::equals).isPresent()) {
                moto.aws("ec2", "detach-volume", "--volume-id", vol, "--instance-id", instanceId, "--force");
            }
        }
        moto.aws("ec2", "terminate-instances", "--instance-ids", instanceId);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern ATTACHED = Pattern.compile(
            "<attachmentSet>\\s*<item>.*?<instanceId>([^<]+)</instanceId>.*?<status>([^<]+)</status>", Pattern.DOTALL);

    /**
     * Which instance the volume is attached to, according to moto (a cheap direct EC2 Query call, so
     * the attach watcher can poll it often).
     */
    public Optional<String> attachedTo(String volumeId) {
        String body = "Action=DescribeVolumes&Version=2016-11-15&VolumeId.1=" + volumeId;
        HttpRequest req = HttpRequest.newBuilder(URI.create(moto.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=rehearsal/20260101/" + moto.region()
                        + "/ec2/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(5)).build();
        try {
            String xml = HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = ATTACHED.matcher(xml);
            return m.find() && !m.group(2).startsWith("detach") ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
