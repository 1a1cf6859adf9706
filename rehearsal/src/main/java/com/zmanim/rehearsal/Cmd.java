package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion, capturing its output; never through a shell unless asked. */
public final class Cmd {
  /**
   * Threads that drain the output of running commands. Not the common fork-join pool: on a 2-core
   * machine it has one worker, and a drain blocked on a long command starved every other one.
   */
  private static final java.util.concurrent.ExecutorService DRAINS =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "cmd-drain");
            t.setDaemon(true);
            return t;
          });

  private Cmd() {}

  /** What a finished command left behind. */
  public record Result(List<String> argv, int exit, String out, String err) {
    public boolean ok() {
      return exit == 0;
    }

    /** Fails naming the command, its exit status and what it printed. */
    public Result check() {
      if (exit != 0) {
        throw new IllegalStateException(
            "command failed (exit "
                + exit
                + "): "
                + String.join(" ", argv)
                + "\n--- stdout\n"
                + tail(out)
                + "\n--- stderr\n"
                + tail(err));
      }
      return this;
    }

    private static String tail(String s) {
      return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }
  }

  public static Result run(Duration timeout, List<String> argv) {
    return run(timeout, argv, Map.of(), null);
  }

  public static Result run(Duration timeout, String... argv) {
    return run(timeout, List.of(argv));
  }

  /** Runs and throws unless it exits 0. */
  public static String ok(Duration timeout, String... argv) {
    return run(timeout, argv).check().out();
  }

  public static Result run(
      Duration timeout, List<String> argv, Map<String, String> env, String stdin) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(env);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    try {
      Process p = pb.start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      if (stdin != null) {
        try (var in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        return new Result(
            argv, 124, out.getNow(""), "timed out after " + timeout + "\n" + err.getNow(""));
      }
      return new Result(argv, p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + argv.getFirst(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + argv, e);
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        },
        DRAINS);
  }
}
