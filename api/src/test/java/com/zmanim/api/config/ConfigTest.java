package com.zmanim.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration is read once from the environment and validated, naming the bad variable. */
class ConfigTest {
  private static Map<String, String> valid() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", "postgresql://zmanim:s3cr%40t@127.0.0.1:5432/zmanim");
    env.put("REDIS_URL", "redis://:redispw@127.0.0.1:6379/0");
    env.put("ENVIRONMENT", "prod");
    env.put("ALLOWED_ORIGINS", "https://zmanim.example, https://www.zmanim.example");
    env.put("ORIGIN_VERIFY_SECRET", "0123456789abcdef0123");
    return env;
  }

  @Test
  void defaultsAreHostAllInterfacesAndPort8080() {
    Config c = Config.fromEnvironment(valid());
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(8080);
  }

  @Test
  void databaseUrlIsSplitIntoJdbcUrlUserAndDecodedPassword() {
    DatabaseSettings db = Config.fromEnvironment(valid()).database();
    assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/zmanim");
    assertThat(db.user()).isEqualTo("zmanim");
    assertThat(db.password()).isEqualTo("s3cr@t");
  }

  @Test
  void redisUrlGivesHostPortDatabaseAndPassword() {
    RedisSettings r = Config.fromEnvironment(valid()).redis().orElseThrow();
    assertThat(r.host()).isEqualTo("127.0.0.1");
    assertThat(r.port()).isEqualTo(6379);
    assertThat(r.database()).isZero();
    assertThat(r.password()).hasValue("redispw");
  }

  @Test
  void aRedissUrlAsksForTlsAndARedisUrlDoesNot() {
    assertThat(Config.fromEnvironment(valid()).redis().orElseThrow().tls()).isFalse();
    Map<String, String> env = valid();
    env.put("REDIS_URL", "rediss://:redispw@cache.example:6379/0");
    RedisSettings r = Config.fromEnvironment(env).redis().orElseThrow();
    assertThat(r.tls()).isTrue();
    assertThat(r.host()).isEqualTo("cache.example");
    assertThat(r.password()).hasValue("redispw");
    assertThat(r.toString()).contains("tls").doesNotContain("redispw");
  }

  @Test
  void withoutRedisUrlTheCacheIsDisabledNotAnError() {
    Map<String, String> env = valid();
    env.remove("REDIS_URL");
    assertThat(Config.fromEnvironment(env).redis()).isEmpty();
  }

  @Test
  void allowedOriginsAreSplitOnCommas() {
    assertThat(Config.fromEnvironment(valid()).allowedOrigins())
        .containsExactly("https://zmanim.example", "https://www.zmanim.example");
  }

  @Test
  void aMissingDatabaseUrlStopsStartUpNamingIt() {
    Map<String, String> env = valid();
    env.remove("DATABASE_URL");
    assertThatThrownBy(() -> Config.fromEnvironment(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("DATABASE_URL: ");
  }

  @Test
  void aMissingEnvironmentStopsStartUpNamingIt() {
    Map<String, String> env = valid();
    env.put("ENVIRONMENT", "  ");
    assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessageStartingWith("ENVIRONMENT: ");
  }

  @Test
  void aMalformedPortStopsStartUpNamingIt() {
    Map<String, String> env = valid();
    env.put("PORT", "80a");
    assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessageStartingWith("PORT: ");
    env.put("PORT", "70000");
    assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessageStartingWith("PORT: ");
  }

  @Test
  void aDatabaseUrlWithoutPasswordIsRefusedThereIsNoDefault() {
    Map<String, String> env = valid();
    env.put("DATABASE_URL", "postgresql://zmanim@127.0.0.1:5432/zmanim");
    assertThatThrownBy(() -> Config.fromEnvironment(env))
        .hasMessageStartingWith("DATABASE_URL: ")
        .hasMessageContaining("password");
  }

  @Test
  void aDatabaseUrlOfAnotherSchemeIsRefusedWithoutEchoingIt() {
    Map<String, String> env = valid();
    env.put("DATABASE_URL", "mysql://zmanim:hunter2@127.0.0.1/zmanim");
    assertThatThrownBy(() -> Config.fromEnvironment(env))
        .hasMessageStartingWith("DATABASE_URL: ")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aDatabaseUrlWithoutDatabaseNameIsRefused() {
    Map<String, String> env = valid();
    env.put("DATABASE_URL", "postgresql://zmanim:pw@127.0.0.1:5432/");
    assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessageStartingWith("DATABASE_URL: ");
  }

  @Test
  void aMalformedRedisUrlIsRefusedNamingIt() {
    Map<String, String> env = valid();
    env.put("REDIS_URL", "http://127.0.0.1:6379");
    assertThatThrownBy(() -> Config.fromEnvironment(env)).hasMessageStartingWith("REDIS_URL: ");
  }

  @Test
  void aMalformedAllowedOriginIsRefusedNamingIt() {
    Map<String, String> env = valid();
    env.put("ALLOWED_ORIGINS", "zmanim.example");
    assertThatThrownBy(() -> Config.fromEnvironment(env))
        .hasMessageStartingWith("ALLOWED_ORIGINS: ");
  }

  @Test
  void aShortOriginVerifySecretIsRefused() {
    Map<String, String> env = valid();
    env.put("ORIGIN_VERIFY_SECRET", "short");
    assertThatThrownBy(() -> Config.fromEnvironment(env))
        .hasMessageStartingWith("ORIGIN_VERIFY_SECRET: ");
  }

  @Test
  void theDescriptionOfTheConfigurationHoldsNoSecret() {
    String text = Config.fromEnvironment(valid()).toString();
    assertThat(text)
        .doesNotContain("s3cr@t", "s3cr%40t", "redispw", "0123456789abcdef0123")
        .contains("prod", "***");
  }

  @Test
  void metricsAreOffWithoutMetricsNamespace() {
    assertThat(Config.fromEnvironment(valid()).metricsNamespace()).isEmpty();
  }

  @Test
  void aMetricsNamespaceOutsideCloudWatchsRulesIsRefusedNamingTheVariable() {
    Map<String, String> env = valid();
    env.put("METRICS_NAMESPACE", "AWS/EC2");
    assertThatThrownBy(() -> Config.fromEnvironment(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("METRICS_NAMESPACE");
    env.put("METRICS_NAMESPACE", "Zmanim Prod");
    assertThatThrownBy(() -> Config.fromEnvironment(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("METRICS_NAMESPACE");
  }

  @Test
  void aPreviousOriginSecretWithoutACurrentOneIsRefusedNamingIt() {
    Map<String, String> env = valid();
    env.remove("ORIGIN_VERIFY_SECRET");
    env.put("ORIGIN_VERIFY_SECRET_PREVIOUS", "fedcba9876543210fedc");
    assertThatThrownBy(() -> Config.fromEnvironment(env))
        .hasMessageStartingWith("ORIGIN_VERIFY_SECRET_PREVIOUS: ");
  }

  @Test
  void aShortPreviousOriginSecretIsRefusedNamingIt() {
    Map<String, String> env = valid();
    env.put("ORIGIN_VERIFY_SECRET_PREVIOUS", "short");
    assertThatThrownBy(() -> Config.fromEnvironment(env))
        .hasMessageStartingWith("ORIGIN_VERIFY_SECRET_PREVIOUS: ");
  }

  @Test
  void thePreviousOriginSecretIsKeptButNeverDescribed() {
    Map<String, String> env = valid();
    env.put("ORIGIN_VERIFY_SECRET_PREVIOUS", "fedcba9876543210fedc");
    Config c = Config.fromEnvironment(env);
    assertThat(c.originVerifySecretPrevious()).contains("fedcba9876543210fedc");
    assertThat(c.toString())
        .doesNotContain("fedcba9876543210fedc")
        .contains("previous value accepted");
  }
}
