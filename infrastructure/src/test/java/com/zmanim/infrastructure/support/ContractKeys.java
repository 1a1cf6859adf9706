package com.zmanim.infrastructure.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instance.env keys a contract section of docs/architecture.md documents, and the keys a user
 * data script writes: a test compares the two, so that the contract and the code cannot drift.
 */
public final class ContractKeys {

  /** A row of a section's key table: its first column, one key or two ("`A` / `B`"). */
  private static final Pattern DOCUMENTED =
      Pattern.compile("(?m)^\\| `(ZMANIM_[A-Z_]+)`(?: / `(ZMANIM_[A-Z_]+)`)? \\|");

  private static final Pattern WRITTEN = Pattern.compile("(?m)^(ZMANIM_[A-Z_]+)=");

  private ContractKeys() {}

  /**
   * The keys of the table of contract section {@code number} ("### N. ..." up to the next heading);
   * optional keys the section lists in prose are not among them.
   */
  public static Set<String> documented(int number) {
    String doc;
    try {
      doc = Files.readString(Path.of("..", "docs", "architecture.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int start = doc.indexOf("\n### " + number + ". ");
    if (start < 0) {
      throw new AssertionError("docs/architecture.md has no section ### " + number + ".");
    }
    int next = doc.indexOf("\n#", start + 1);
    String section = doc.substring(start, next < 0 ? doc.length() : next);
    Set<String> keys = new TreeSet<>();
    Matcher m = DOCUMENTED.matcher(section);
    while (m.find()) {
      keys.add(m.group(1));
      if (m.group(2) != null) {
        keys.add(m.group(2));
      }
    }
    return keys;
  }

  /** The keys {@code userData} writes, one {@code KEY=} at the start of a line each. */
  public static Set<String> written(String userData) {
    Set<String> keys = new TreeSet<>();
    Matcher m = WRITTEN.matcher(userData);
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }
}
