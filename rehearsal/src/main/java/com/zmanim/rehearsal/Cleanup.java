package com.zmanim.rehearsal;

import java.util.ArrayList;
import java.util.List;

/** Tearing down what a world started: everything is closed even when some of it fails. */
final class Cleanup {
  private Cleanup() {}

  /**
   * Closes {@code started} last first (the reverse of the order it was started in), every one of
   * them; then fails naming each that failed.
   */
  static void closeAll(String what, List<? extends AutoCloseable> started) {
    List<Exception> errors = new ArrayList<>();
    for (AutoCloseable c : started.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        errors.add(new IllegalStateException("cleanup of " + c + " failed: " + e.getMessage(), e));
      }
    }
    if (!errors.isEmpty()) {
      IllegalStateException e =
          new IllegalStateException("cleanup of " + what + " incomplete: " + errors);
      errors.forEach(e::addSuppressed);
      throw e;
    }
  }
}
