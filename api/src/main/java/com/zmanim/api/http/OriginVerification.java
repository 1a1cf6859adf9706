package com.zmanim.api.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * When {@code ORIGIN_VERIFY_SECRET} is set, every request but {@code /health} must carry header
 * {@value #HEADER} with that value (CloudFront adds it), else 403. During a rotation of the secret
 * the previous value ({@code ORIGIN_VERIFY_SECRET_PREVIOUS}) is accepted too, so that requests
 * CloudFront still signs with it are served while its configuration moves to the new one. Both
 * comparisons always run, in constant time: the response time does not tell which value matched.
 */
public final class OriginVerification implements Handler {
  public static final String HEADER = "X-Origin-Verify";

  private final byte[] secret;
  private final byte[] previous;

  public OriginVerification(String secret, Optional<String> previous) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.previous = previous.map(p -> p.getBytes(StandardCharsets.UTF_8)).orElse(null);
  }

  @Override
  public void handle(Context ctx) {
    if (ctx.path().equals("/health") || ctx.method().name().equals("OPTIONS")) {
      return;
    }
    String given = ctx.header(HEADER);
    if (given == null || !accepted(given.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(
          403, "forbidden", "missing or wrong " + HEADER + " header", null, null);
    }
  }

  private boolean accepted(byte[] given) {
    boolean current = MessageDigest.isEqual(secret, given);
    boolean old = previous != null && MessageDigest.isEqual(previous, given);
    return current | old;
  }
}
