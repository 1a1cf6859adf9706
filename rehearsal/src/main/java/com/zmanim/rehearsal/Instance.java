package com.zmanim.rehearsal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One instance: an overlay of the image's root filesystem (a fresh upper layer is a new instance
 * from the same image, the same upper layer booted again is a reboot), booted with
 * {@code systemd-nspawn -b}, its veth link on the rehearsal bridge, the data volume's loop device
 * passed in, and the per-instance "platform" files AWS would provide written into the upper layer:
 * the cloud-init NoCloud seed holding the CDK's user data, the endpoints file (contract §2) and the
 * instance's network address.
 */
public final class Instance implements AutoCloseable {
    /** What the harness gives an instance at launch. */
    public record Spec(String name, String instanceId, String address, String bridge, String userData,
                       String endpointsEnv, Optional<Volume> volume) {
    }

    private final Spec spec;
    private final Path dir;
    private final Path merged;
    private final Path logDir;
    private Process nspawn;
    private long initPid;
    private Instant launchedAt;
    private int boots;

    /** Creates the instance's root (overlay on {@code image}); does not boot it. */
    public Instance(Image image, Spec spec, Path scratch, Path logDir) {
        this.spec = spec;
        this.dir = scratch.resolve(spec.name());
        this.merged = dir.resolve("root");
        this.logDir = logDir;
        try {
            Files.createDirectories(dir.resolve("upper"));
            Files.createDirectories(dir.resolve("work"));
            Files.createDirectories(merged);
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Cmd.ok(Duration.ofSeconds(30), "mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + image.rootfs() + ",upperdir=" + dir.resolve("upper") + ",workdir=" + dir.resolve("work"),
                merged.toString());
        writePlatformFiles();
    }

    public Spec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** The instance's root as the host sees it (for files the scenarios inspect or plant). */
    public Path root() {
        return merged;
    }

    public Path logDir() {
        return logDir;
    }

    /** The instance's PID 1 as the host sees it (for nsenter by a host-side helper script). */
    public long initPid() {
        return initPid;
    }

    private void writePlatformFiles() {
        write("etc/cloud/cloud.cfg.d/99-rehearsal.cfg", """
                # Rehearsal: the instance's user data comes from a NoCloud seed (on AWS: the Ec2 datasource).
                datasource_list: [ NoCloud, None ]
                network: {config: disabled}
                ssh_genkeytypes: []
                """, "644");
        write("var/lib/cloud/seed/nocloud/meta-data",
                "instance-id: " + spec.instanceId() + "\nlocal-hostname: " + spec.name() + "\n", "600");
        write("var/lib/cloud/seed/nocloud/user-data", spec.userData(), "600");
        write("etc/zmanim/endpoints.env", spec.endpointsEnv(), "644");
        write("etc/systemd/system/rehearsal-network.service", """
                [Unit]
                Description=Rehearsal: this instance's address on the rehearsal bridge (stands in for the VPC)
                Documentation=file:///work/rehearsal/README.md
                DefaultDependencies=no
                # before anything that talks to the (emulated) AWS endpoints
                Before=network-pre.target network.target network-online.target cloud-init-local.service
                Wants=network-pre.target

                [Service]
                Type=oneshot
                RemainAfterExit=yes
                ExecStart=ip link set host0 up
                ExecStart=ip addr replace %s/24 dev host0

                [Install]
                WantedBy=sysinit.target
                """.formatted(spec.address()), "644");
        try {
            Path wants = merged.resolve("etc/systemd/system/sysinit.target.wants");
            Files.createDirectories(wants);
            Path link = wants.resolve("rehearsal-network.service");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of("/etc/systemd/system/rehearsal-network.service"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file into the instance's root (its upper layer), e.g. what the platform provides. */
    public void writeFile(String rel, String content, String mode) {
        write(rel, content, mode);
    }

    private void write(String rel, String content, String mode) {
        Path p = merged.resolve(rel);
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(rwx(mode)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }

    private static String rwx(String octal) {
        StringBuilder sb = new StringBuilder();
        for (char c : octal.toCharArray()) {
            int d = c - '0';
            sb.append((d & 4) != 0 ? 'r' : '-').append((d & 2) != 0 ? 'w' : '-').append((d & 1) != 0 ? 'x' : '-');
        }
        return sb.toString();
    }

    /** Boots the instance (returns once systemd runs as PID 1 inside). */
    public void boot() {
        if (running()) {
            throw new IllegalStateException(name() + " is already running");
        }
        boots++;
        List<String> argv = new ArrayList<>(List.of("systemd-nspawn", "-b", "-D", merged.toString(),
                "-M", spec.name(), "--register=no", "--keep-unit", "--network-bridge=" + spec.bridge(),
                "--console=read-only"));
        spec.volume().ifPresent(v -> argv.add("--bind=" + v.device()));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("console.log").toFile()))
                .redirectInput(new File("/dev/null"));
        launchedAt = Instant.now();
        try {
            nspawn = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start systemd-nspawn", e);
        }
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (!nspawn.isAlive()) {
                throw new IllegalStateException("systemd-nspawn exited (" + nspawn.exitValue() + ") at boot; see "
                        + logDir.resolve("console.log"));
            }
            // nspawn forks an outer child (itself a systemd-nspawn) that forks PID 1 of the container
            // and exits: the init is the child that lives in another PID namespace.
            Optional<ProcessHandle> init = nspawn.children().filter(Instance::inOwnPidNamespace).findFirst();
            if (init.isPresent()) {
                initPid = init.get().pid();
                return;
            }
            Servers.sleep(20);
        }
        throw new IllegalStateException(name() + ": systemd did not start inside the container within 30 s");
    }

    private static boolean inOwnPidNamespace(ProcessHandle p) {
        try {
            return !Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "ns/pid"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")));
        } catch (IOException e) {
            return false; // gone already
        }
    }

    public boolean running() {
        return nspawn != null && nspawn.isAlive();
    }

    public Instant launchedAt() {
        return launchedAt;
    }

    public int boots() {
        return boots;
    }

    /** Runs a command inside the instance (all its namespaces), as root, with a clean environment. */
    public Cmd.Result exec(Duration timeout, String... cmd) {
        if (!running()) {
            throw new IllegalStateException(name() + " is not running");
        }
        List<String> argv = new ArrayList<>(List.of("nsenter", "-t", Long.toString(initPid), "-a", "--",
                "env", "-i", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"));
        argv.addAll(List.of(cmd));
        return Cmd.run(timeout, argv, Map.of(), null);
    }

    public Cmd.Result exec(String... cmd) {
        return exec(Duration.ofSeconds(60), cmd);
    }

    /** Runs a bash snippet inside the instance. */
    public Cmd.Result sh(String script) {
        return exec(Duration.ofSeconds(120), "bash", "-c", script);
    }

    /** A SQL query as postgres via the local socket; tuples only, unaligned. */
    public String psql(String db, String sql) {
        return exec(Duration.ofSeconds(60), "runuser", "-u", "postgres", "--", "psql", "-X", "-v", "ON_ERROR_STOP=1",
                "-d", db, "-tAc", sql).check().out().strip();
    }

    /** Makes the volume visible as AWS's udev rules would once it is attached (a /dev/disk/by-id link). */
    public void attachDevice(String volumeId, Volume volume) {
        String link = "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_" + volumeId.replace("-", "");
        exec("sh", "-c", "mkdir -p /dev/disk/by-id && ln -sfn " + volume.device() + " " + link).check();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** GET on the instance's API from the host, with optional header name/value pairs. */
    public HttpResponse<String> http(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiUrl() + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public String apiUrl() {
        return "http://" + spec.address() + ":8080";
    }

    public int healthStatus() {
        try {
            return http("/health").statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Waits for {@code GET /health} 200 from the host; returns when it came. Gives up early, with
     * the boot log's last lines, when zmanim-boot.service has failed.
     */
    public Instant awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        long polls = 0;
        while (Instant.now().isBefore(deadline)) {
            if (!running()) {
                throw new IllegalStateException(name() + " stopped while waiting for /health");
            }
            if (healthStatus() == 200) {
                return Instant.now();
            }
            if (++polls % 20 == 0 && "failed".equals(exec("systemctl", "show", "-P", "ActiveState",
                    "zmanim-boot.service").out().strip())) {
                String tail = exec("journalctl", "-b", "-t", "zmanim-boot", "--no-pager", "-o", "cat",
                        "-n", "15").out();
                throw new IllegalStateException(name() + ": zmanim-boot.service failed before /health answered:\n"
                        + tail);
            }
            Servers.sleep(100);
        }
        throw new IllegalStateException(name() + ": GET /health did not answer 200 within " + timeout);
    }

    /** Waits until systemd inside reports the boot finished (running, degraded...); returns its state. */
    public String awaitBootFinished(Duration timeout) {
        Cmd.Result r = exec(timeout, "systemctl", "is-system-running", "--wait");
        return r.out().strip();
    }

    /** Saves the journal and unit states into the instance's log folder (for failed cases). */
    public void saveLogs() {
        if (!running()) {
            return;
        }
        try {
            Files.writeString(logDir.resolve("journal-boot" + boots + ".txt"),
                    exec(Duration.ofSeconds(30), "journalctl", "-b", "--no-pager", "-o", "short-monotonic").out());
            Files.writeString(logDir.resolve("units-boot" + boots + ".txt"),
                    exec(Duration.ofSeconds(30), "systemctl", "list-units", "--all", "--no-pager").out());
        } catch (IOException | RuntimeException e) {
            // best effort: logs are for humans
        }
    }

    /** Clean shutdown (as `shutdown -h now` on the instance); waits for the container to exit. */
    public void stop(Duration timeout) {
        if (!running()) {
            return;
        }
        saveLogs();
        exec(Duration.ofSeconds(20), "systemctl", "poweroff", "--no-block");
        awaitExit(timeout);
    }

    /** Abrupt loss of the instance (power cut): SIGKILL to its init ends the whole PID namespace. */
    public void kill() {
        if (!running()) {
            return;
        }
        ProcessHandle.of(initPid).ifPresent(ProcessHandle::destroyForcibly);
        awaitExit(Duration.ofSeconds(30));
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!nspawn.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                ProcessHandle.of(initPid).ifPresent(ProcessHandle::destroyForcibly);
                nspawn.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
                throw new IllegalStateException(name() + " did not stop within " + timeout + " (killed)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (nspawn.isAlive()) {
                nspawn.destroyForcibly();
            }
        }
    }

    /** Kills the instance if running and removes its root (unmount the overlay). */
    @Override
    public void close() {
        try {
            kill();
        } finally {
            Cmd.run(Duration.ofSeconds(30), "umount", merged.toString());
            if (Cmd.run(Duration.ofSeconds(5), "mountpoint", "-q", merged.toString()).ok()) {
                Cmd.run(Duration.ofSeconds(30), "umount", "-l", merged.toString());
            }
        }
    }
}
