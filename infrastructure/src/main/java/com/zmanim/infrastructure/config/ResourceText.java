package com.zmanim.infrastructure.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the resource files (user data, agent configuration, tables) that ship in the jar. */
public final class ResourceText {

  private ResourceText() {}

  /**
   * The UTF-8 text of a classpath resource such as {@code compute/user-data.sh}; fails naming it.
   */
  public static String read(String path) {
    try (InputStream in = ResourceText.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("resource file missing from the build: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + path, e);
    }
  }
}
