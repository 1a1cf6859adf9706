package com.zmanim.api.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * When {@code ORIGIN_VERIFY_SECRET} is set, every request but {@code /health} must carry header
 * {@value #HEADER} with that value (CloudFront adds it), else 403. Compared in constant time.
 */
public final class OriginVerification implements Handler {
  public static final String HEADER = "X-Origin-Verify";

  private final byte[] secret;

  public OriginVerification(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(Context ctx) {
    if (ctx.path().equals("/health") || ctx.method().name().equals("OPTIONS")) {
      return;
    }
    String given = ctx.header(HEADER);
    if (given == null || !MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(403, "forbidden", "missing or wrong " + HEADER + " header", null, null);
    }
  }
}
