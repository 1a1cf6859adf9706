package com.zmanim.rehearsal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make rehearse-up}: boots one instance in a world of its own (bridge zr-up) and keeps it, and
 * the stand-ins for AWS, running until this process gets SIGTERM ({@code make rehearse-down}), which
 * removes everything. Writes rehearsal/out/up/api-url once /health answers 200.
 * {@code Up --sweep} only removes what an interrupted run left behind.
 */
public final class Up {
    private Up() {
    }

    public static void main(String[] args) throws Exception {
        Layout layout = Layout.fromEnvironment();
        Progress progress = new Progress(System.out);
        if (args.length > 0 && args[0].equals("--sweep")) {
            World.sweep(layout, Bridges.UP);
            return;
        }
        Preflight.check(layout);
        World.sweep(layout, Bridges.UP);
        Image image = Image.buildOrReuse(layout, progress);
        World world = new World(layout, image, progress, "up", Bridges.UP, Bridges.UP_PREFIX);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            progress.say("stopping the instance and removing everything rehearse-up made");
            try {
                world.instances().forEach(i -> i.stop(Duration.ofSeconds(60)));
            } finally {
                world.close();
                stopped.countDown();
            }
        }));
        Instance instance = world.launch();
        instance.awaitHealthy(Duration.ofMinutes(4));
        Path url = layout.out().resolve("up/api-url");
        try {
            Files.writeString(url, instance.apiUrl() + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        progress.say("instance " + instance.spec().instanceId() + " is up: " + instance.apiUrl()
                + " (enter it: nsenter -t $(pgrep -P <nspawn pid>) -a bash; stop: make rehearse-down)");
        stopped.await();
    }
}
