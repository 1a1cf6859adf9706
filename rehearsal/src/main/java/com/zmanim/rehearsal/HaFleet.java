package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Profile ha in a world: the {@link HaStandIn} for Aurora and ElastiCache, the RDS-managed
 * administrator secret in moto's Secrets Manager, and API instances launched from the same image
 * with the user data of {@code ZmanimProdHaCompute} as synthesized into {@code
 * infrastructure/cdk.out-ha} (its imports of the data stack's endpoints and secret mapped to the
 * stand-in; everything else, the releases bucket for one, created in moto as for the single
 * profile). Each instance gets a metadata mock of its own (its own instance id), no volume, and
 * trusts the stand-in's authority.
 */
public final class HaFleet implements AutoCloseable {
  /** The secrets the ha profile's API instances read from SSM (no backup repository key). */
  public static final List<String> SECRETS =
      List.of("postgres-password", "redis-password", "origin-verify-secret");

  private final World world;

  /** The ha profile's compute stack, as the synth names it (cdk.out-ha/zmanim-names.json). */
  private final String stack;

  private final HaStandIn standIn;
  private final String adminSecretArn;
  private final String userData;
  private final HaTrust trust;
  private final List<Instance> instances = new ArrayList<>();
  private final List<Imds> mocks = new ArrayList<>();
  private int launched;

  public HaFleet(World w) {
    this.world = w;
    long t0 = System.nanoTime();
    for (String s : SECRETS) {
      w.account().putSecret(w.ssmName(s), w.secrets().get(s));
    }
    // ':' and '\' on purpose: the boot must escape them in .pgpass (RDS-generated passwords hold
    // such).
    String adminPassword = "Adm:" + HexFormat.of().formatHex(random(12)) + "\\z";
    adminSecretArn = putAdminSecret(adminPassword);
    // Rendered before anything boots: a missing synthesis fails here, naming what to run.
    String standInAddress = address(100);
    HaUserData rendered = new HaUserData(w, standInAddress, adminSecretArn);
    stack = rendered.stack();
    userData = rendered.script();
    standIn =
        new HaStandIn(
            w.image(),
            Bridges.RUN_MACHINES + "db",
            standInAddress,
            w.bridgeName(),
            w.scratch().resolve("ha"),
            w.out().resolve("standin"),
            adminPassword,
            w.secrets().get("redis-password"));
    try {
      trust = new HaTrust(w.image(), w.scratch(), standIn.caPem());
    } catch (RuntimeException e) {
      standIn.close();
      throw e;
    }
    w.progress()
        .say(
            String.format(
                "  ha: stand-in for Aurora and ElastiCache at %s, admin secret in Secrets "
                    + "Manager, user data of %s rendered (%.1f s)",
                standIn.address(), stack, (System.nanoTime() - t0) / 1e9));
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  /**
   * An address on the world's bridge: .1 holds the stand-ins for AWS, .11 up the world's own
   * (single profile) instances, .31 up this fleet's API instances, .100 the stand-in database.
   */
  private String address(int host) {
    String bridgeHost = world.hostAddress();
    return bridgeHost.substring(0, bridgeHost.lastIndexOf('.') + 1) + host;
  }

  /** The RDS-managed administrator secret, as RDS creates it: JSON username/password. */
  private String putAdminSecret(String password) {
    try {
      String value =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .writeValueAsString(Map.of("username", HaStandIn.ADMIN_USER, "password", password));
      return world
          .account()
          .secretsManager()
          .createSecret(r -> r.name("rds!cluster-rehearsal").secretString(value))
          .arn();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ha profile's compute stack (the group the instances signal belongs to). */
  public String stack() {
    return stack;
  }

  public HaStandIn standIn() {
    return standIn;
  }

  public String adminSecretArn() {
    return adminSecretArn;
  }

  public String userData() {
    return userData;
  }

  /** Creates a new API instance (record in moto, its own metadata mock) without booting it. */
  public synchronized Instance create() {
    int n = ++launched;
    String instanceId = world.account().runInstance();
    String address = address(30 + n);
    Path logDir = world.out().resolve("api-" + n);
    String h = world.hostAddress();
    int imdsPort = 1338 + n;
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    mocks.add(
        new Imds(
            world.layout(),
            h,
            imdsPort,
            instanceId,
            World.REGION,
            world.account().az(),
            address,
            logDir));
    String endpoints =
        """
                # Rehearsal (contract §2): AWS is moto, SignalResource the recorder, metadata this instance's mock.
                AWS_ENDPOINT_URL=http://%1$s:5000
                AWS_ENDPOINT_URL_CLOUDFORMATION=http://%1$s:5001
                AWS_EC2_METADATA_SERVICE_ENDPOINT=http://%1$s:%2$d/
                ZMANIM_IMDS_ENDPOINT=http://%1$s:%2$d
                """
            .formatted(h, imdsPort);
    Instance i =
        new Instance(
            world.image(),
            new Instance.Spec(
                Bridges.RUN_MACHINES + "api" + n,
                instanceId,
                address,
                world.bridgeName(),
                userData,
                endpoints,
                Optional.empty()),
            world.scratch().resolve("ha"),
            logDir);
    trust.installIn(i);
    instances.add(i);
    return i;
  }

  /** Creates and boots a new API instance. */
  public Instance launch() {
    Instance i = create();
    world
        .progress()
        .say("  ha: launching API instance " + i.spec().instanceId() + " at " + i.spec().address());
    i.boot();
    return i;
  }

  /**
   * Adds rehearsal-only settings to a running instance's endpoints.env (read by every script at its
   * start); the scenario using one names why.
   */
  public void addEndpoints(Instance i, Map<String, String> settings) {
    try {
      Path file = i.root().resolve("etc/zmanim/endpoints.env");
      StringBuilder text = new StringBuilder(Files.readString(file));
      settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      i.writeFile("etc/zmanim/endpoints.env", text.toString(), "644");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops an instance cleanly and terminates its record (the group retiring it). */
  public void terminate(Instance i) {
    i.stop(Duration.ofSeconds(90));
    world.account().terminateInstance(i.spec().instanceId());
  }

  public List<Instance> instances() {
    return List.copyOf(instances);
  }

  public void saveLogs() {
    instances.forEach(Instance::saveLogs);
    standIn.container().saveLogs();
  }

  @Override
  public void close() {
    List<RuntimeException> errors = new ArrayList<>();
    for (AutoCloseable c : concat()) {
      try {
        c.close();
      } catch (Exception e) {
        errors.add(new IllegalStateException("cleanup of " + c + " failed", e));
      }
    }
    if (!errors.isEmpty()) {
      IllegalStateException e = new IllegalStateException("ha cleanup incomplete: " + errors);
      errors.forEach(e::addSuppressed);
      throw e;
    }
  }

  private List<AutoCloseable> concat() {
    List<AutoCloseable> all = new ArrayList<>(instances);
    all.add(standIn);
    all.addAll(mocks);
    return all;
  }
}
