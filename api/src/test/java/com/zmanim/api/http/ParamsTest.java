package com.zmanim.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** Parameter checks name the parameter and the accepted range. */
class ParamsTest {
  private static final LocalDate MIN = LocalDate.of(1900, 1, 1);
  private static final LocalDate MAX = LocalDate.of(2199, 12, 31);

  @Test
  void aValidDecimalIsParsed() {
    assertThat(new Params(Map.of("lat", " -33.8688 ")).requiredDecimal("lat", -90, 90))
        .isEqualTo(-33.8688);
  }

  @Test
  void nonFiniteAndExponentNumbersAreRefused() {
    for (String v : new String[] {"NaN", "Infinity", "1e3", "0x10", "1,5", "--1"}) {
      assertThatThrownBy(() -> new Params(Map.of("lat", v)).requiredDecimal("lat", -90, 90))
          .as(v)
          .asInstanceOf(InstanceOfAssertFactories.type(ApiException.class))
          .satisfies(
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.parameter()).isEqualTo("lat");
                assertThat(e.accepted()).isEqualTo("a decimal number from -90 to 90");
              });
    }
  }

  @Test
  void aMissingRequiredParameterIsNamed() {
    assertThatThrownBy(() -> new Params(Map.of()).requiredDecimal("lng", -180, 180))
        .hasMessage("lng is required");
  }

  @Test
  void datesMustBeRealCalendarDatesInRange() {
    assertThat(new Params(Map.of("date", "2028-02-29")).requiredDate("date", MIN, MAX))
        .isEqualTo(LocalDate.of(2028, 2, 29));
    assertThatThrownBy(
            () -> new Params(Map.of("date", "2026-02-29")).requiredDate("date", MIN, MAX))
        .hasMessageContaining("not a valid date");
    assertThatThrownBy(
            () -> new Params(Map.of("date", "2200-01-01")).requiredDate("date", MIN, MAX))
        .hasMessageContaining("out of range");
    assertThatThrownBy(
            () -> new Params(Map.of("date", "+12026-01-01")).requiredDate("date", MIN, MAX))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void timeZonesMustBeIanaRegionNames() {
    assertThat(new Params(Map.of("tz", "Asia/Jerusalem")).requiredZone("tz").getId())
        .isEqualTo("Asia/Jerusalem");
    assertThatThrownBy(() -> new Params(Map.of("tz", "+02:00")).requiredZone("tz"))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> new Params(Map.of("tz", "Mars/Olympus")).requiredZone("tz"))
        .hasMessageContaining("not a known time zone");
  }

  @Test
  void limitDefaultsAndIsCapped() {
    assertThat(new Params(Map.of()).limit(10, 50)).isEqualTo(10);
    assertThatThrownBy(() -> new Params(Map.of("limit", "0")).limit(10, 50))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> new Params(Map.of("limit", "99999999999999999999")).limit(10, 50))
        .isInstanceOf(ApiException.class);
  }
}
