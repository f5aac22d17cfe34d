package io.pulley.agent.apply.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.v1.lite.Database;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseExecutorTest {
  private static final String PASSWORD = "pw-0123456789abcdef";

  @TempDir Path dir;

  private final FakePsql psql = new FakePsql();
  private final DatabaseExecutor executor = new DatabaseExecutor(psql, new Random(5));

  @Test
  void converge_allAsDeclared_reportsUnchangedAfterOneInspection() {
    String stored = ScramVerifier.generate(PASSWORD, new Random(1)).text();
    psql.answer("role|t|" + stored + "\ndatabase|shop\nextension|plpgsql\n");

    Convergence c = converge(spec().build());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(psql.scripts).hasSize(1);
  }

  @Test
  void converge_nothingThere_runsThePlanAndListsTheChanges() {
    psql.answer("").answer("CREATE ROLE\nCREATE DATABASE\n");

    Convergence c = converge(spec().build());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).isEqualTo("role shop created, database shop created");
    assertThat(psql.scripts.get(1)).contains("CREATE ROLE").doesNotContain(PASSWORD);
  }

  @Test
  void converge_planFails_reportsPsqlOutputWithoutSecretOrVerifier() {
    psql.answer("").fail("placeholder");
    Convergence first = converge(spec().build());
    String verifier =
        psql.scripts
            .get(1)
            .lines()
            .filter(l -> l.startsWith("\\set verifier"))
            .findFirst()
            .orElseThrow();
    String sent = verifier.substring("\\set verifier '".length(), verifier.length() - 1);
    FakePsql leaking = new FakePsql().answer("").fail("ERROR: near '" + sent + "' and " + PASSWORD);

    Convergence c =
        new DatabaseExecutor(leaking, new Random(5)).converge(spec().build(), context());

    assertThat(first.failed()).isTrue();
    assertThat(c.failed()).isTrue();
    assertThat(c.reason())
        .startsWith("role shop created, database shop created failed: exit status 3");
    assertThat(c.outputTail()).doesNotContain(PASSWORD).doesNotContain(sent).contains("***");
  }

  @Test
  void converge_missingSecret_failsNamingItBeforeRunningPsql() {
    Convergence c = executor.converge(spec().setPasswordSecret("other").build(), context());

    assertThat(c.reason()).isEqualTo("secret 'other' is missing or empty");
    assertThat(psql.scripts).isEmpty();
  }

  @Test
  void converge_badName_failsWithTheName() {
    Convergence c = converge(spec().setName("shop; DROP").build());

    assertThat(c.reason()).isEqualTo("database name 'shop; DROP' is not a plain identifier");
    assertThat(psql.scripts).isEmpty();
  }

  @Test
  void converge_ownerGiven_usesItAsTheRole() {
    psql.answer("").answer("");

    Convergence c = converge(spec().setOwner("shop_owner").addExtensions("uuid-ossp").build());

    assertThat(c.reason())
        .isEqualTo("role shop_owner created, database shop created, extension uuid-ossp created");
    assertThat(psql.scripts.get(0)).contains("\\set role 'shop_owner'");
  }

  private Convergence converge(Database spec) {
    return executor.converge(spec, context());
  }

  private io.pulley.agent.apply.ApplyContext context() {
    return Contexts.withSecrets(dir, Map.of("database-password", PASSWORD));
  }

  private static Database.Builder spec() {
    return Database.newBuilder().setName("shop").setPasswordSecret("database-password");
  }
}
