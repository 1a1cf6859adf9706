package com.zmanim.rehearsal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The instance-metadata service: amazon-ec2-metadata-mock (built by setup from its Go module),
 * IMDSv2 only (a request without a session token gets 401), answering with the instance id, region
 * and AZ of the instance record created in moto, and with role credentials for the AWS CLI.
 */
public final class Imds implements AutoCloseable {
  private final Servers.Child child;
  private final String endpoint;

  public Imds(
      Layout layout,
      String host,
      int port,
      String instanceId,
      String region,
      String az,
      String privateIp,
      Path dir) {
    this.endpoint = "http://" + host + ":" + port;
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = json.createObjectNode();
    config.put("imdsv2", true);
    ObjectNode values = config.putObject("metadata").putObject("values");
    values.put("instance-id", instanceId);
    values.put("placement-availability-zone", az);
    values.put("placement-region", region);
    values.put("local-ipv4", privateIp);
    values.put("iam-security-credentials-role", "zmanim-rehearsal-instance");
    ObjectNode creds = values.putObject("iam-security-credentials");
    creds.put("Code", "Success");
    creds.put("LastUpdated", Instant.now().toString());
    creds.put("Type", "AWS-HMAC");
    creds.put("AccessKeyId", "ASIAREHEARSAL0000001");
    creds.put("SecretAccessKey", "rehearsal-instance-role-key");
    creds.put("Token", "rehearsal-session-token");
    creds.put("Expiration", Instant.now().plus(Duration.ofHours(6)).toString());
    ObjectNode doc =
        config.with("dynamic").putObject("values").putObject("instance-identity-document");
    doc.put("instanceId", instanceId);
    doc.put("region", region);
    doc.put("availabilityZone", az);
    doc.put("privateIp", privateIp);
    doc.put("accountId", "123456789012");
    doc.put("architecture", "x86_64");
    doc.put("imageId", "ami-rehearsal");
    doc.put("instanceType", "m7g.medium");
    Path file = dir.resolve("imds-config.json");
    try {
      json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Servers.requireFree("ec2-metadata-mock", host, port);
    this.child =
        Servers.start(
            "ec2-metadata-mock",
            List.of(
                layout.tool("ec2-metadata-mock").toString(),
                "-n",
                host,
                "-p",
                Integer.toString(port),
                "-I",
                "-c",
                file.toString()),
            Map.of("HOME", dir.toString()),
            dir.resolve("imds.log"));
    Servers.awaitHttp(child, endpoint + "/latest/meta-data/", Duration.ofSeconds(15));
  }

  public String endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    child.close();
  }
}
