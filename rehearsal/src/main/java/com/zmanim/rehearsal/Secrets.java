package com.zmanim.rehearsal;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The secrets a world puts into SSM (contract §3): a random valid value for each, which a scenario
 * may change, blank or remove (null) before a launch. Each launch puts what changed since the last
 * one and deletes what was removed, and verifies the SES identity the instance sends from.
 */
final class Secrets {
  /** The secrets the image requires, from its own list (ZMANIM_REQUIRED_SECRETS in common.sh). */
  static final List<String> NAMES = Layout.fromEnvironment().requiredSecrets();

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> inSsm = new HashMap<>();
  private boolean sesVerified;

  Secrets() {
    for (String name : NAMES) {
      values.put(name, random());
    }
  }

  private static String random() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return "Rh" + HexFormat.of().formatHex(b);
  }

  /** Name → value; a scenario edits it to spoil a secret. */
  Map<String, String> values() {
    return values;
  }

  /** Brings SSM (and SES) in line with {@link #values()} before a launch. */
  synchronized void seed(EmulatedAccount account, Deployment deployment) {
    for (var e : values.entrySet()) {
      String name = deployment.ssmName(e.getKey());
      if (e.getValue() != null && !e.getValue().equals(inSsm.get(e.getKey()))) {
        account.putSecret(name, e.getValue());
        inSsm.put(e.getKey(), e.getValue());
      } else if (e.getValue() == null && inSsm.remove(e.getKey()) != null) {
        account.deleteParameter(name);
      }
    }
    String from = deployment.variables().get("NotifyFrom");
    if (from != null && !sesVerified) {
      account.verifySesIdentity(from);
      sesVerified = true;
    }
  }
}
