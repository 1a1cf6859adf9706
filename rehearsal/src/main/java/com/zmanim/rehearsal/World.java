package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One scenario's whole world, shared with no other: a bridge, moto, the metadata mock, the signal
 * recorder, the emulated account (resources the user data names, secrets, SES identity), the data
 * volume, and the instances launched in it. {@link #close()} removes all of it, also after failures.
 */
public final class World implements AutoCloseable {
    public static final String STACK = "ZmanimProdCompute";
    public static final String REGION = "eu-west-1";
    public static final List<String> SECRETS = List.of("postgres-password", "redis-password", "restic-password",
            "origin-verify-secret", "pgbackrest-cipher-pass");
    private static final AtomicInteger MACHINES = new AtomicInteger();
    private static final java.util.concurrent.ExecutorService PARALLEL =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private final Layout layout;
    private final Image image;
    private final Progress progress;
    private final Path scratch;
    private final Path out;
    private final List<AutoCloseable> closers = new ArrayList<>();
    private final List<Instance> instances = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> linkedBoot = new ConcurrentHashMap<>();
    private final Bridge bridge;
    private final Moto moto;
    private final S3TlsFront s3Tls;
    private final CfnSignalRecorder signals;
    private final Account account;
    private volatile String userData;
    private volatile Map<String, String> instanceEnv;
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, String> endpointsExtra = new LinkedHashMap<>();
    /** What is in moto already (a later launch puts only what changed). */
    private final Map<String, String> putSecrets = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean sesVerified;
    private Volume volume;
    private Imds imds;
    private volatile boolean attachWatcher = true;
    private Thread watcher;

    public World(Layout layout, Image image, Progress progress, String name, String bridgeName, String prefix) {
        this.layout = layout;
        this.image = image;
        this.progress = progress;
        this.scratch = layout.scratch().resolve(name);
        this.out = layout.out().resolve(name);
        try {
            deleteTree(out);
            Files.createDirectories(out);
            // A fresh world: nothing of an interrupted run's instances (their upper layers hold that
            // run's instance.env and cloud-init state) may leak in. The sweep unmounted them.
            deleteTree(scratch);
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long t0 = System.nanoTime();
        try {
            bridge = keep(new Bridge(bridgeName, prefix));
            moto = keep(new Moto(layout, bridge.hostAddress(), 5000, REGION, out.resolve("moto.log")));
            s3Tls = keep(new S3TlsFront(scratch.resolve("tls"), bridge.hostAddress(), 5000));
            progress.say(String.format("  moto up (and its TLS front) in %.1f s", (System.nanoTime() - t0) / 1e9));
            signals = keep(new CfnSignalRecorder(bridge.hostAddress(), 5001));
            account = new Account(moto, REGION + "a");
            Path template = layout.computeTemplate();
            if (!Files.isRegularFile(template)) {
                throw new IllegalStateException(template + " does not exist: synthesize the CDK app first (make synth)");
            }
            userData = new UserData(template.getParent(), REGION, account).render(STACK);
            instanceEnv = parseInstanceEnv(userData);
            progress.say(String.format("  user data rendered, resources created in moto (%.1f s)",
                    (System.nanoTime() - t0) / 1e9));
            for (String s : SECRETS) {
                secrets.put(s, randomSecret());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        closers.add(c);
        return c;
    }

    /** The KEY=value lines the user data writes to /etc/zmanim/instance.env (contract §1). */
    static Map<String, String> parseInstanceEnv(String userData) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : userData.split("\n")) {
            String l = line.strip();
            if (l.matches("ZMANIM_[A-Z0-9_]+=\\S*")) {
                env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
            }
        }
        for (String k : List.of("ZMANIM_SSM_PREFIX", "ZMANIM_DATA_VOLUME_ID", "ZMANIM_EIP_ALLOCATION_ID")) {
            if (!env.containsKey(k)) {
                throw new IllegalStateException("the rendered user data does not set " + k + " (contract §1)");
            }
        }
        return env;
    }

    private static String randomSecret() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return "Rh" + HexFormat.of().formatHex(b);
    }

    public Progress progress() {
        return progress;
    }

    /** The image this world's instances boot (a fleet of profile ha launches from it too). */
    public Image image() {
        return image;
    }

    public Layout layout() {
        return layout;
    }

    /** This world's own scratch folder (removed when the world closes). */
    public Path scratch() {
        return scratch;
    }

    /** The name of this world's bridge (instances join it). */
    public String bridgeName() {
        return bridge.name();
    }

    public Path out() {
        return out;
    }

    public Moto moto() {
        return moto;
    }

    /** HTTPS in front of moto's S3 (pgBackRest's repository endpoint); pause it to cut S3 off. */
    public S3TlsFront s3Tls() {
        return s3Tls;
    }

    /** The bridge's host address, where the stand-ins for AWS listen. */
    public String hostAddress() {
        return bridge.hostAddress();
    }

    public Account account() {
        return account;
    }

    public CfnSignalRecorder signals() {
        return signals;
    }

    /**
     * Waits until the recorder holds at least {@code n} signals (the boot logic signals right after
     * it saw /health 200, so a scenario that saw /health first must wait a moment); returns them.
     */
    public List<CfnSignalRecorder.Signal> awaitSignals(int n, Duration timeout) {
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        while (signals.signals().size() < n && java.time.Instant.now().isBefore(deadline)) {
            Servers.sleep(200);
        }
        return signals.signals();
    }

    public String userData() {
        return userData;
    }

    public Map<String, String> instanceEnv() {
        return instanceEnv;
    }

    public String env(String key) {
        return instanceEnv.get(key);
    }

    public String ssmName(String secret) {
        return env("ZMANIM_SSM_PREFIX") + "/" + secret;
    }

    /** The secret values the world puts into SSM before a launch (a scenario may remove or blank one). */
    public Map<String, String> secrets() {
        return secrets;
    }

    public String volumeId() {
        return env("ZMANIM_DATA_VOLUME_ID");
    }

    /** The data volume (created on first use, 4 GiB sparse). */
    public Volume volume() {
        if (volume == null) {
            volume = keep(new Volume(scratch.resolve("data-volume.img"), 4L << 30));
        }
        return volume;
    }

    /**
     * Destroys the data volume (loop device and file, every byte gone) and puts a blank one of the
     * same size in its place under the same volume id: the stand-in for a lost volume replaced by a
     * new, empty one. No running instance may use it.
     */
    public Volume replaceVolume() {
        if (instances.stream().anyMatch(Instance::running)) {
            throw new IllegalStateException("the data volume cannot be replaced while an instance runs");
        }
        if (volume != null) {
            closers.remove(volume);
            volume.close();
            volume = null;
        }
        linkedBoot.clear();
        return volume();
    }

    /**
     * Extra lines for /etc/zmanim/endpoints.env (sourced by the boot logic after instance.env), for
     * rehearsal-only settings such as a shorter attach timeout; each scenario using one says so.
     */
    public Map<String, String> endpointsExtra() {
        return endpointsExtra;
    }

    /** Whether the emulated EBS makes the volume appear once the boot logic attached it. */
    public void attachWatcher(boolean on) {
        this.attachWatcher = on;
    }

    /**
     * Puts the secrets and the SES identity into moto and creates the instance record, all at once
     * (each AWS CLI call costs about a second of start-up); returns the new instance id.
     */
    private String provisionAccount() {
        List<java.util.concurrent.CompletableFuture<?>> calls = new ArrayList<>();
        for (var e : secrets.entrySet()) {
            if (e.getValue() != null && !e.getValue().equals(putSecrets.get(e.getKey()))) {
                putSecrets.put(e.getKey(), e.getValue());
                calls.add(java.util.concurrent.CompletableFuture.runAsync(
                        () -> account.putSecret(ssmName(e.getKey()), e.getValue()), PARALLEL));
            } else if (e.getValue() == null && putSecrets.remove(e.getKey()) != null) {
                calls.add(java.util.concurrent.CompletableFuture.runAsync(
                        () -> moto.aws("ssm", "delete-parameter", "--name", ssmName(e.getKey())), PARALLEL));
            }
        }
        Optional.ofNullable(env("ZMANIM_NOTIFY_FROM")).filter(from -> !sesVerified).ifPresent(from -> calls.add(
                java.util.concurrent.CompletableFuture.runAsync(() -> account.verifySesIdentity(from), PARALLEL)));
        String instanceId = account.runInstance();
        calls.forEach(java.util.concurrent.CompletableFuture::join);
        sesVerified = true;
        return instanceId;
    }

    /** Launches a new instance (a fresh copy of the image) with the CDK's user data, and boots it. */
    public Instance launch() {
        long t0 = System.nanoTime();
        String instanceId = provisionAccount();
        if (imds != null) {
            closers.remove(imds);
            imds.close();
        }
        int n = MACHINES.incrementAndGet();
        String address = bridge.instanceAddress(instances.size() + 1);
        imds = keep(new Imds(layout, bridge.hostAddress(), 1338, instanceId, REGION, account.az(), address,
                out));
        Instance instance = new Instance(image, new Instance.Spec((bridge.name().equals(Bridges.UP) ? "zu" : Bridges.RUN_MACHINES) + n, instanceId, address, bridge.name(),
                userData, endpointsEnv(), Optional.of(volume())), scratch, out.resolve("instance-" + (instances.size() + 1)));
        trustRehearsalCa(instance);
        instances.add(instance);
        progress.say(String.format("  launching instance %s at %s (account ready in %.1f s)", instanceId, address,
                (System.nanoTime() - t0) / 1e9));
        instance.boot();
        startWatcher();
        return instance;
    }

    /**
     * The instance trusts the world's certificate authority as AWS's S3 certificates are trusted: in
     * its system CA bundle (what update-ca-certificates would write: the image's bundle plus it).
     */
    private void trustRehearsalCa(Instance instance) {
        String bundle = "etc/ssl/certs/ca-certificates.crt";
        try {
            String base = Files.readString(image.rootfs().resolve(bundle));
            instance.writeFile(bundle, base + (base.endsWith("\n") ? "" : "\n") + s3Tls.caPem(), "644");
            instance.writeFile("usr/local/share/ca-certificates/zmanim-rehearsal-ca.crt", s3Tls.caPem(), "644");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A deploy of the compute stack with other configuration (CDK context, e.g. a new
     * dataVolumeGeneration): the CDK app is synthesized again with {@code context} into this world's
     * folder (scripts/cdk-app.sh, as scripts/synth.sh runs it), and instances launched from now on get
     * its user data. A new volume resource is created in moto on first reference, as CloudFormation
     * would, and the emulated EBS then serves a blank device for it. No instance may run (the
     * group replaces it).
     */
    public void redeploy(String contextJson) {
        if (instances.stream().anyMatch(Instance::running)) {
            throw new IllegalStateException("redeploy with a running instance: terminate it first, as the group does");
        }
        long t0 = System.nanoTime();
        Path dir = out.resolve("cdk.out-redeploy");
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Cmd.run(Duration.ofMinutes(10), List.of(layout.repo().resolve("scripts/cdk-app.sh").toString()),
                Map.of("CDK_OUTDIR", dir.toString(), "CDK_CONTEXT_JSON", contextJson), null).check();
        String rendered = new UserData(dir, REGION, account).render(STACK);
        Map<String, String> env = parseInstanceEnv(rendered);
        if (!env.get("ZMANIM_DATA_VOLUME_ID").equals(volumeId()) && volume != null) {
            // The old volume stays in moto (retained); its device is not this instance's any more.
            closers.remove(volume);
            volume.close();
            volume = null;
        }
        userData = rendered;
        instanceEnv = env;
        linkedBoot.clear();
        progress.say(String.format("  deployed with %s: data volume %s (%.1f s)", contextJson, volumeId(),
                (System.nanoTime() - t0) / 1e9));
    }

    /** Boots an instance that was stopped, on the same root (a reboot). */
    public void reboot(Instance instance) {
        instance.stop(Duration.ofSeconds(90));
        instance.boot();
    }

    /** Stops an instance cleanly and terminates its record (as the ASG replaces it). */
    public void terminate(Instance instance) {
        long t0 = System.nanoTime();
        instance.stop(Duration.ofSeconds(90));
        long t1 = System.nanoTime();
        account.terminateInstance(instance.spec().instanceId());
        progress.say(String.format("  %s stopped in %.1f s, terminated in moto in %.1f s", instance.spec().instanceId(),
                (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9));
    }

    private String endpointsEnv() {
        String h = bridge.hostAddress();
        return """
                # Rehearsal (contract §2): AWS is moto; CloudFormation's SignalResource goes to the rehearsal's
                # signal recorder (moto lacks it); instance metadata is amazon-ec2-metadata-mock (IMDSv2 only).
                AWS_ENDPOINT_URL=http://%1$s:5000
                AWS_ENDPOINT_URL_CLOUDFORMATION=http://%1$s:5001
                AWS_EC2_METADATA_SERVICE_ENDPOINT=http://%1$s:1338/
                ZMANIM_IMDS_ENDPOINT=http://%1$s:1338
                # pgBackRest's repository (S3 over TLS only): HTTPS in front of the same moto, its CA trusted.
                ZMANIM_PGBACKREST_S3_ENDPOINT=%2$s
                """.formatted(h, s3Tls.endpoint()) + endpointsExtra.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "\n")
                .reduce("", String::concat);
    }

    /**
     * The emulated EBS: once moto says the volume is attached to a running instance, its device
     * appears there (the by-id link AWS's udev rules make). Every event goes to out/ebs.log.
     */
    private synchronized void startWatcher() {
        if (watcher != null) {
            return;
        }
        Path log = out.resolve("ebs.log");
        watcher = Thread.ofPlatform().daemon().name("ebs-attach-watcher").start(() -> {
            String last = "";
            while (!Thread.currentThread().isInterrupted()) {
                String event = "";
                try {
                    if (attachWatcher) {
                        Optional<String> to = account.attachedTo(volumeId());
                        event = "moto: " + volumeId() + " attached to " + to.orElse("nothing");
                        for (Instance i : List.copyOf(instances)) {
                            if (i.running() && to.filter(i.spec().instanceId()::equals).isPresent()
                                    && linkedBoot.getOrDefault(i.name(), -1) != i.boots()) {
                                i.attachDevice(volumeId(), volume());
                                linkedBoot.put(i.name(), i.boots());
                                event += "; device link made in " + i.name() + " (boot " + i.boots() + ")";
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    event += "; error: " + e.getMessage().lines().findFirst().orElse("");
                }
                if (!event.equals(last)) {
                    try {
                        Files.writeString(log, java.time.Instant.now() + " " + event + "\n",
                                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    } catch (IOException ignored) {
                        // the log is for humans
                    }
                    last = event;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    public List<Instance> instances() {
        return List.copyOf(instances);
    }

    /** Saves every running instance's logs (for a failed case). */
    public void saveLogs() {
        instances.forEach(Instance::saveLogs);
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.interrupt();
        }
        List<RuntimeException> errors = new ArrayList<>();
        for (Instance i : List.copyOf(instances)) {
            try {
                i.close();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        List<AutoCloseable> reversed = new ArrayList<>(closers);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                errors.add(new IllegalStateException("cleanup of " + c + " failed", e));
            }
        }
        try {
            if (!Cmd.run(Duration.ofSeconds(10), "findmnt", "-rn", "-o", "TARGET").out().contains(scratch.toString())) {
                deleteTree(scratch);
            } else {
                errors.add(new IllegalStateException("something is still mounted under " + scratch));
            }
        } catch (IOException e) {
            errors.add(new UncheckedIOException(e));
        }
        if (!errors.isEmpty()) {
            IllegalStateException e = new IllegalStateException("cleanup incomplete: " + errors);
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

    /**
     * Removes what an interrupted run (a killed JVM) left behind under the scratch folder: instance
     * roots still mounted, loop devices on volume files, the rehearsal's bridges, leftover containers.
     */
    public static void sweep(Layout layout, boolean up, String... bridges) {
        String scratch = layout.scratch().toString();
        // rehearse-up's world lives in scratch/up and is swept only by rehearse-up (a scenario run
        // must not take down the instance a developer left up), scenario worlds in the rest.
        String upDir = scratch + "/up/";
        java.util.function.Predicate<String> ours = path -> up ? path.startsWith(upDir)
                : path.startsWith(scratch + "/") && !path.startsWith(upDir);
        // Containers whose root lies in the scratch folder (an interrupted run's instances): SIGKILL,
        // by PID, each process whose root is there (killing a container's init ends all of it).
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (ours.test(Files.readSymbolicLink(p.resolve("root")).toString() + "/")) {
                        ProcessHandle.of(Long.parseLong(p.getFileName().toString()))
                                .ifPresent(ProcessHandle::destroyForcibly);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : Cmd.run(Duration.ofSeconds(10), "findmnt", "-rn", "-o", "TARGET").out().split("\n")) {
            if (ours.test(line + "/")) {
                Cmd.run(Duration.ofSeconds(30), "umount", "-l", line);
            }
        }
        for (String line : Cmd.run(Duration.ofSeconds(10), "losetup", "-n", "-O", "NAME,BACK-FILE").out().split("\n")) {
            String[] f = line.strip().split("\\s+", 2);
            if (f.length == 2 && ours.test(f[1])) {
                Cmd.run(Duration.ofSeconds(30), "losetup", "-d", f[0]);
            }
        }
        for (String b : bridges) {
            Cmd.run(Duration.ofSeconds(10), "ip", "link", "del", b);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            Cmd.run(Duration.ofMinutes(2), "rm", "-rf", "--one-file-system", p.toString()).check();
        }
    }
}
