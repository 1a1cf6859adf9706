package com.zmanim.api.cache;

import com.zmanim.api.config.RedisSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.params.SetParams;

/**
 * Redis through a small Jedis pool with short timeouts, so that a slow or dead Redis costs a
 * request at most ~{@value #TIMEOUT_MS} ms. After a failure the cache is bypassed for {@value
 * #BACKOFF_MS} ms (status "degraded") instead of paying the timeout on every request.
 */
public final class RedisCache implements Cache {
  static final int TIMEOUT_MS = 200;
  static final long BACKOFF_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(RedisCache.class);

  private final JedisPool pool;
  private final String prefix;
  private final AtomicLong downUntil = new AtomicLong();

  public RedisCache(RedisSettings settings, String prefix) {
    this.prefix = prefix;
    var client =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(TIMEOUT_MS)
            .socketTimeoutMillis(TIMEOUT_MS)
            .database(settings.database())
            .password(settings.password().orElse(null))
            .clientName("zmanim-api")
            // ElastiCache with encryption in transit (profile ha) accepts TLS only; its certificate
            // is
            // issued by a public CA the JDK trusts.
            .ssl(settings.tls())
            .build();
    JedisPoolConfig poolConfig = new JedisPoolConfig();
    poolConfig.setMaxTotal(16);
    poolConfig.setMaxIdle(16);
    poolConfig.setMinIdle(0);
    poolConfig.setMaxWait(Duration.ofMillis(TIMEOUT_MS));
    poolConfig.setJmxEnabled(false);
    this.pool =
        new JedisPool(poolConfig, new HostAndPort(settings.host(), settings.port()), client);
  }

  @Override
  public Optional<String> get(String key) {
    if (backingOff()) {
      return Optional.empty();
    }
    try (Jedis jedis = pool.getResource()) {
      return Optional.ofNullable(jedis.get(prefix + key));
    } catch (RuntimeException e) {
      failed(e);
      return Optional.empty();
    }
  }

  @Override
  public void put(String key, String value, int ttlSeconds) {
    if (backingOff()) {
      return;
    }
    try (Jedis jedis = pool.getResource()) {
      jedis.set(prefix + key, value, SetParams.setParams().ex(ttlSeconds));
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public String status() {
    try (Jedis jedis = pool.getResource()) {
      boolean ok = "PONG".equals(jedis.ping());
      if (ok) {
        downUntil.set(0);
      }
      return ok ? "ok" : "degraded";
    } catch (RuntimeException e) {
      failed(e);
      return "degraded";
    }
  }

  private boolean backingOff() {
    return System.currentTimeMillis() < downUntil.get();
  }

  private void failed(RuntimeException e) {
    long previous = downUntil.getAndSet(System.currentTimeMillis() + BACKOFF_MS);
    if (previous == 0 || System.currentTimeMillis() > previous) {
      LOG.warn("redis unavailable, cache bypassed for {} ms: {}", BACKOFF_MS, e.toString());
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
