package com.zmanim.infrastructure.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZmanimConfigTest {

  @Test
  void theDefaultsAreTheSingleInstanceProductionValuesAndEnvironmentAgnostic() {
    ZmanimConfig c = ZmanimConfig.defaults();
    assertThat(c.instanceType()).isEqualTo("m7g.medium");
    assertThat(c.rootVolumeGib()).isEqualTo(10);
    assertThat(c.dataVolumeGib()).isEqualTo(20);
    assertThat(c.dataVolumeIops()).isEqualTo(3000);
    assertThat(c.dataVolumeThroughput()).isEqualTo(125);
    assertThat(c.ssmPrefix()).isEqualTo("/zmanim/prod");
    assertThat(c.amiIdParameter()).isEqualTo("/zmanim/prod/ami-id");
    assertThat(c.environmentName()).isEqualTo("prod");
    assertThat(c.account()).isNull();
    assertThat(c.region()).isNull();
    assertThat(c.apiIngressSource()).as("null = CloudFront's origin-facing prefix list").isNull();
  }

  @Test
  void theParameterPrefixFollowsTheEnvironmentNameUnlessSetItself() {
    assertThat(ZmanimConfig.withOverrides(Map.of("environmentName", "staging")).ssmPrefix())
        .isEqualTo("/zmanim/staging");
    assertThat(
            ZmanimConfig.withOverrides(
                    Map.of("environmentName", "staging", "ssmPrefix", "/other/place"))
                .ssmPrefix())
        .isEqualTo("/other/place");
  }

  @Test
  void everyNumberFieldHasADefault() {
    // fromLookup fails naming a number field that has no default: constructing the defaults proves
    // none lacks one.
    assertThat(ZmanimConfig.defaults().haMaxInstances()).isEqualTo(4);
  }

  @Test
  void contextValuesReplaceTheDefaultsAndNumbersMayBeStrings() {
    ZmanimConfig c =
        ZmanimConfig.withOverrides(
            Map.of("region", "eu-west-1", "dataVolumeGib", "40", "alarmEmail", "ops@example.org"));
    assertThat(c.region()).isEqualTo("eu-west-1");
    assertThat(c.dataVolumeGib()).isEqualTo(40);
    assertThat(c.alarmEmail()).isEqualTo("ops@example.org");
    assertThat(c.instanceType()).isEqualTo("m7g.medium");
  }

  @ParameterizedTest(name = "{0}={1} is rejected naming {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "environmentName|Prod",
        "account|12345",
        "region|europe",
        "instanceType|m7i.large",
        "instanceType|m7g",
        "rootVolumeGib|4",
        "dataVolumeGib|0",
        "dataVolumeIops|2000",
        "dataVolumeThroughput|100",
        "dataVolumeGib|5",
        "ssmPrefix|zmanim/prod",
        "ssmPrefix|/zmanim/prod/",
        "alarmEmail|not-an-address",
        "notifyFrom|noreply@other.example",
        "sesIdentity|not a domain",
        "apiPort|80",
        "apiIngressSource|0.0.0.0/0",
        "apiIngressSource|sg-12345678",
        "metricsNamespace|AWS/EC2",
        "logRetentionDays|10",
        "backupNoncurrentDays|7",
        "bootTimeoutMinutes|2",
        "vpcCidr|10.0.0.0/28",
        "githubRepository|just-a-name",
        "githubOidcProviderArn|arn:aws:iam::123456789012:oidc-provider/example.com",
        "rootVolumeGib|ten",
        "dataVolumeGeneration|0",
        "dataVolumeGeneration|two",
        "dataVolumeAz|2",
        "dataVolumeAz|-1",
        "blankVolume|format",
        "blankVolume|RESTORE",
        "pitrRetentionDays|13",
        "archiveTimeoutSeconds|60",
        "archiveTimeoutSeconds|5",
        "backupLockDays|20",
        "backupLockDays|400",
        "profile|multi",
        "profile|HA",
        "haVpcCidr|10.40.0.0/24",
        "haVpcCidr|10.41.0.0/26",
        "haMinInstances|1",
        "haMaxInstances|2"
      })
  void aBadValueIsRejectedWithAMessageNamingTheField(String field, String value) {
    // dataVolumeGib=5 with the default 3000 IOPS breaks gp3's 500 IOPS/GiB: reported on the IOPS.
    String named = field.equals("dataVolumeGib") && value.equals("5") ? "dataVolumeIops" : field;
    assertThatThrownBy(() -> ZmanimConfig.withOverrides(Map.of(field, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(named + " ");
  }

  @Test
  void theRecoverySettingsDefaultToTheFirstVolumeInTheFirstAzInitialisedWithAFourteenDayWindow() {
    ZmanimConfig c = ZmanimConfig.defaults();
    assertThat(c.dataVolumeGeneration()).isEqualTo(1);
    assertThat(c.dataVolumeAz()).isZero();
    assertThat(c.blankVolume()).isEqualTo("initialise");
    assertThat(c.pitrRetentionDays()).isEqualTo(14);
    assertThat(c.archiveTimeoutSeconds()).isEqualTo(30);
  }

  @Test
  void aNewVolumeGenerationInTheOtherAzRestoredFromTheRepositoryIsAccepted() {
    ZmanimConfig c =
        ZmanimConfig.withOverrides(
            Map.of(
                "dataVolumeGeneration",
                2,
                "dataVolumeAz",
                "1",
                "blankVolume",
                "restore",
                "pitrRetentionDays",
                30,
                "archiveTimeoutSeconds",
                15,
                "backupLockDays",
                40));
    assertThat(c.dataVolumeGeneration()).isEqualTo(2);
    assertThat(c.dataVolumeAz()).isEqualTo(1);
    assertThat(c.blankVolume()).isEqualTo("restore");
    assertThat(c.pitrRetentionDays()).isEqualTo(30);
    assertThat(c.archiveTimeoutSeconds()).isEqualTo(15);
  }

  @Test
  void theObjectLockMustOutlastALongerPitrWindowPlusAFullBackupInterval() {
    assertThatThrownBy(() -> ZmanimConfig.withOverrides(Map.of("pitrRetentionDays", 30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("backupLockDays ")
        .hasMessageContaining("pitrRetentionDays + 7");
    assertThat(
            ZmanimConfig.withOverrides(Map.of("pitrRetentionDays", 30, "backupLockDays", 37))
                .backupLockDays())
        .isEqualTo(37);
  }

  @Test
  void theProfileDefaultsToSingleAndHaIsAccepted() {
    assertThat(ZmanimConfig.defaults().profile()).isEqualTo("single");
    assertThat(ZmanimConfig.defaults().isHa()).isFalse();
    ZmanimConfig ha = ZmanimConfig.withOverrides(Map.of("profile", "ha"));
    assertThat(ha.isHa()).isTrue();
    assertThat(ha.haMinInstances()).isEqualTo(2);
    assertThat(ha.haMaxInstances()).isGreaterThan(ha.haMinInstances());
  }

  @Test
  void theMigrationGrantIsOffByDefaultAndOnlyAllowedWithProfileHa() {
    assertThat(ZmanimConfig.withOverrides(Map.of("profile", "ha")).haMigrationRestore()).isFalse();
    assertThat(
            ZmanimConfig.withOverrides(Map.of("profile", "ha", "haMigrationRestore", "true"))
                .haMigrationRestore())
        .isTrue();
    assertThatThrownBy(() -> ZmanimConfig.withOverrides(Map.of("haMigrationRestore", true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("haMigrationRestore ")
        .hasMessageContaining("profile is ha");
    assertThatThrownBy(
            () -> ZmanimConfig.withOverrides(Map.of("profile", "ha", "haMigrationRestore", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("haMigrationRestore ");
  }

  @Test
  void theHaProfileRefusesAPitrWindowLongerThanAuroraKeepsBackups() {
    assertThatThrownBy(
            () ->
                ZmanimConfig.withOverrides(
                    Map.of("profile", "ha", "pitrRetentionDays", 36, "backupLockDays", 43)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("pitrRetentionDays ")
        .hasMessageContaining("profile ha");
    assertThat(
            ZmanimConfig.withOverrides(Map.of("pitrRetentionDays", 36, "backupLockDays", 43))
                .pitrRetentionDays())
        .as("the single profile's pgBackRest window has no such limit")
        .isEqualTo(36);
  }

  @Test
  void aFractionalNumberIsRejectedRatherThanTruncated() {
    assertThatThrownBy(() -> ZmanimConfig.withOverrides(Map.of("dataVolumeGeneration", 1.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dataVolumeGeneration ");
  }

  @Test
  void aCidrIngressSourceAndAnExistingOidcProviderAreAccepted() {
    ZmanimConfig c =
        ZmanimConfig.withOverrides(
            Map.of(
                "apiIngressSource",
                "203.0.113.0/24",
                "githubOidcProviderArn",
                "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"));
    assertThat(c.apiIngressSource()).isEqualTo("203.0.113.0/24");
    assertThat(c.githubOidcProviderArn()).endsWith("token.actions.githubusercontent.com");
  }
}
