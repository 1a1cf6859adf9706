package com.zmanim.rehearsal;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/** Progress lines on the console as the rehearsal goes; details only when verbose. */
public final class Progress {
  private final PrintStream out;
  private final Instant start = Instant.now();
  private final boolean verbose;

  public Progress(PrintStream out) {
    this.out = out;
    this.verbose = "1".equals(System.getenv("REHEARSAL_VERBOSE"));
  }

  public void say(String line) {
    long s = Duration.between(start, Instant.now()).toSeconds();
    out.printf("[rehearsal %3d:%02d] %s%n", s / 60, s % 60, line);
    out.flush();
  }

  public void detail(String text) {
    if (verbose && text != null && !text.isBlank()) {
      out.println(text.strip());
    }
  }
}
