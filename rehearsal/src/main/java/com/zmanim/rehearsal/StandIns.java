package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stand-ins for AWS of one world, on its bridge: moto (and the TLS front pgBackRest reaches its
 * S3 through), the CloudFormation signal recorder, and the metadata mock, which answers as the
 * instance launched last. Also what an instance needs to use them: its endpoints file (contract §2)
 * and trust in the TLS front's certificate authority.
 */
public final class StandIns implements AutoCloseable {
  private static final int MOTO_PORT = 5000;
  private static final int SIGNALS_PORT = 5001;
  private static final int IMDS_PORT = 1338;

  private final Layout layout;
  private final Path out;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final Bridge bridge;
  private final Moto moto;
  private final S3TlsFront s3Tls;
  private final CfnSignalRecorder signals;
  private Imds imds;

  public StandIns(
      Layout layout,
      Progress progress,
      String bridgeName,
      String prefix,
      String region,
      Path scratch,
      Path out) {
    this.layout = layout;
    this.out = out;
    long t0 = System.nanoTime();
    try {
      bridge = keep(new Bridge(bridgeName, prefix));
      moto =
          keep(new Moto(layout, bridge.hostAddress(), MOTO_PORT, region, out.resolve("moto.log")));
      s3Tls = keep(new S3TlsFront(scratch.resolve("tls"), bridge.hostAddress(), MOTO_PORT));
      progress.say(
          String.format("  moto up (and its TLS front) in %.1f s", (System.nanoTime() - t0) / 1e9));
      signals = keep(new CfnSignalRecorder(bridge.hostAddress(), SIGNALS_PORT));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private <T extends AutoCloseable> T keep(T c) {
    started.add(c);
    return c;
  }

  public Bridge bridge() {
    return bridge;
  }

  public Moto moto() {
    return moto;
  }

  public S3TlsFront s3Tls() {
    return s3Tls;
  }

  public CfnSignalRecorder signals() {
    return signals;
  }

  private String imdsEndpoint() {
    return "http://" + bridge.hostAddress() + ":" + IMDS_PORT;
  }

  /** The metadata mock from now on answers as this instance (it serves one identity). */
  public void identify(String instanceId, String region, String az, String address) {
    if (imds != null) {
      started.remove(imds);
      imds.close();
    }
    imds =
        keep(
            new Imds(
                layout, bridge.hostAddress(), IMDS_PORT, instanceId, region, az, address, out));
  }

  /**
   * /etc/zmanim/endpoints.env (contract §2): every AWS endpoint is one of these, plus {@code
   * extra}.
   */
  public String endpointsEnv(Map<String, String> extra) {
    StringBuilder env =
        new StringBuilder(
            """
                # Rehearsal (contract §2): AWS is moto; CloudFormation's SignalResource goes to the rehearsal's
                # signal recorder (moto lacks it); instance metadata is amazon-ec2-metadata-mock (IMDSv2 only).
                AWS_ENDPOINT_URL=%1$s
                AWS_ENDPOINT_URL_CLOUDFORMATION=%2$s
                AWS_EC2_METADATA_SERVICE_ENDPOINT=%3$s/
                ZMANIM_IMDS_ENDPOINT=%3$s
                # pgBackRest's repository (S3 over TLS only): HTTPS in front of the same moto, its CA trusted.
                ZMANIM_PGBACKREST_S3_ENDPOINT=%4$s
                """
                .formatted(moto.endpoint(), signals.endpoint(), imdsEndpoint(), s3Tls.endpoint()));
    extra.forEach((k, v) -> env.append(k).append('=').append(v).append('\n'));
    return env.toString();
  }

  /**
   * The instance trusts the TLS front's certificate authority as AWS's S3 certificates are trusted:
   * in its system CA bundle (what update-ca-certificates would write: the image's bundle plus it).
   */
  public void trustIn(Instance instance, Image image) {
    String bundle = "etc/ssl/certs/ca-certificates.crt";
    try {
      String base = Files.readString(image.rootfs().resolve(bundle));
      instance.writeFile(bundle, base + (base.endsWith("\n") ? "" : "\n") + s3Tls.caPem(), "644");
      instance.writeFile(
          "usr/local/share/ca-certificates/zmanim-rehearsal-ca.crt", s3Tls.caPem(), "644");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    Cleanup.closeAll("the stand-ins for AWS", started);
  }
}
