package com.zmanim.rehearsal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code make rehearse-up}: boots one instance in a world of its own (bridge zr-up) and keeps it,
 * and the stand-ins for AWS, running until this process gets SIGTERM ({@code make rehearse-down}),
 * which removes everything. Writes rehearsal/out/rehearse-up/api-url once /health answers 200 (the
 * instance's own logs are in rehearsal/out/up/). {@code Up --sweep} only removes what an
 * interrupted run left behind.
 */
public final class Up {
  private Up() {}

  public static void main(String[] args) throws Exception {
    Layout layout = Layout.fromEnvironment();
    Progress progress = new Progress(System.out);
    if (args.length > 0 && args[0].equals("--sweep")) {
      Sweeper.sweep(layout, true, Bridges.UP);
      return;
    }
    Preflight.check(layout);
    Sweeper.sweep(layout, true, Bridges.UP);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<World> up = new AtomicReference<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  progress.say("stopping the instance and removing everything rehearse-up made");
                  World w = up.get();
                  try {
                    if (w != null) {
                      w.instances().forEach(i -> i.stop(Duration.ofSeconds(60)));
                    }
                  } finally {
                    if (w != null) {
                      w.close();
                    }
                    Sweeper.sweep(layout, true, Bridges.UP);
                    stopped.countDown();
                  }
                }));
    Image image = Image.buildOrReuse(layout, progress);
    World world = new World(layout, image, progress, "up", Bridges.UP, Bridges.UP_PREFIX);
    up.set(world);
    Instance instance = world.launch();
    instance.awaitHealthy(Duration.ofMinutes(4));
    Path control = layout.out().resolve("rehearse-up");
    Files.createDirectories(control);
    Path url = control.resolve("api-url");
    Path origin = control.resolve("origin-verify-secret");
    try {
      // The API wants CloudFront's header on every route but /health: its value, for curl (0600).
      Files.deleteIfExists(origin);
      Files.createFile(
          origin,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(origin, world.secrets().get("origin-verify-secret"));
      Files.writeString(url, instance.apiUrl() + "\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    progress.say(
        "instance "
            + instance.spec().instanceId()
            + " is up: "
            + instance.apiUrl()
            + "\n"
            + "  curl -H \"X-Origin-Verify: $(cat "
            + origin
            + ")\" '"
            + instance.apiUrl()
            + "/api/v1/zmanim?lat=31.778&lng=35.235&date=2026-11-24&tz=Asia/Jerusalem'\n"
            + "  shell on it: nsenter -t $(pgrep -P $(pgrep -f 'nspawn -b -D .*/up/')) -a bash\n"
            + "  stop: make rehearse-down");
    stopped.await();
  }
}
