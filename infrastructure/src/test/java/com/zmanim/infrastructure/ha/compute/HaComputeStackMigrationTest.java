package com.zmanim.infrastructure.ha.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.infrastructure.config.ZmanimConfig;
import com.zmanim.infrastructure.support.Iam;
import com.zmanim.infrastructure.support.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * ZmanimProdHaCompute deployed for the migration (haMigrationRestore=true, ADR 0016), synthesized
 * once.
 */
class HaComputeStackMigrationTest {

  private static HaComputeStack stack;
  private static Template template;

  @BeforeAll
  static void synth() {
    ZmanimConfig config =
        ZmanimConfig.withOverrides(Map.of("profile", "ha", "haMigrationRestore", true));
    stack = Synth.stack("HaCompute", config, HaComputeStack::new);
    template = Synth.template(stack);
  }

  @Test
  void theRoleMayListOnlyTheResticPrefixAndReadOnlyItsObjects() {
    Map<String, Object> list = Iam.statement(template, "MigrationResticList");
    assertThat(Iam.actions(list)).containsExactly("s3:ListBucket");
    assertThat(list.get("Condition"))
        .isEqualTo(Map.of("StringLike", Map.of("s3:prefix", List.of("restic/*"))));
    Map<String, Object> read = Iam.statement(template, "MigrationResticRead");
    assertThat(Iam.actions(read)).containsExactly("s3:GetObject");
    assertThat(Iam.resources(read).toString()).contains("BackupsBucketName").contains("/restic/*");
  }

  @Test
  void theRepositoryPasswordBecomesReadableTooButNoOtherBackupKey() {
    String read = Iam.resources(Iam.statement(template, "ReadOwnParameters")).toString();
    assertThat(read)
        .contains("/restic-password]")
        .doesNotContain("pgbackrest")
        .doesNotContain("/*");
  }

  @Test
  void nothingOfTheBackupsBucketMayBeWrittenOrDeleted() {
    assertThat(Iam.statements(template))
        .filteredOn(s -> Iam.resources(s).toString().contains("BackupsBucketName"))
        .hasSize(3)
        .allSatisfy(
            s ->
                assertThat(Iam.actions(s))
                    .allMatch(
                        a ->
                            a.equals("s3:ListBucket")
                                || a.equals("s3:GetObject")
                                || a.equals("s3:GetBucketLocation")));
  }

  @Test
  void cdkNagAwsSolutionsHasNoUnacknowledgedFinding() {
    assertThat(Synth.unacknowledgedNagFindings(stack)).isEmpty();
  }
}
