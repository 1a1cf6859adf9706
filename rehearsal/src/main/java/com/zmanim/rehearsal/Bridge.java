package com.zmanim.rehearsal;

import java.time.Duration;

/**
 * The rehearsal's own network: a Linux bridge on the host with address {@code prefix.1/24}; every
 * instance's veth link joins it ({@code systemd-nspawn --network-bridge}), and the stand-ins for
 * AWS (moto, the metadata mock, the signal recorder) bind to {@code prefix.1} only. Nothing else of
 * the host is reachable from an instance, and nothing outside the host can reach the stand-ins.
 */
public final class Bridge implements AutoCloseable {
  private final String name;
  private final String prefix;

  /**
   * @param prefix the first three octets, e.g. {@code 10.213.0}
   */
  public Bridge(String name, String prefix) {
    if (name.length() > 15) {
      throw new IllegalArgumentException("bridge name too long for Linux (15 chars): " + name);
    }
    this.name = name;
    this.prefix = prefix;
    close();
    Cmd.ok(Duration.ofSeconds(10), "ip", "link", "add", name, "type", "bridge");
    Cmd.ok(Duration.ofSeconds(10), "ip", "addr", "add", hostAddress() + "/24", "dev", name);
    Cmd.ok(Duration.ofSeconds(10), "ip", "link", "set", name, "up");
  }

  public String name() {
    return name;
  }

  public String hostAddress() {
    return prefix + ".1";
  }

  /** The address the n-th instance (n >= 1) of this bridge gets. */
  public String instanceAddress(int n) {
    return prefix + "." + (10 + n);
  }

  @Override
  public void close() {
    Cmd.run(Duration.ofSeconds(10), "ip", "link", "del", name);
  }
}
