package io.pulley.agent.apply.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.process.ProgramRunner;
import io.pulley.v1.lite.Database;
import io.pulley.v1.lite.ResourceOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor against a real PostgreSQL server through the real runuser + psql path. */
class DatabaseExecutorPostgresTest {
  @TempDir static Path clusterDir;
  @TempDir Path state;

  private static TestCluster cluster;
  private static DatabaseExecutor executor;

  @BeforeAll
  static void startServer() throws IOException, InterruptedException {
    cluster = TestCluster.start(clusterDir);
    executor = new DatabaseExecutor(new RunuserPsql(cluster.libpqEnv()), new Random(11));
  }

  @AfterAll
  static void stopServer() throws IOException, InterruptedException {
    if (cluster != null) {
      cluster.stop();
    }
  }

  @Test
  void converge_freshServer_createsRoleDatabaseAndExtensionTheRoleCanLogInTo()
      throws InterruptedException {
    Convergence c =
        executor.converge(spec("shop").addExtensions("hstore").build(), secret("pw-one"));

    assertThat(c.outcome()).as(c.reason() + c.outputTail()).isEqualTo(changed());
    assertThat(c.reason())
        .isEqualTo("role shop created, database shop created, extension hstore created");
    ProgramRunner.Result login =
        cluster.login(
            "shop",
            "pw-one",
            "shop",
            "SELECT current_user, (SELECT count(*) FROM pg_extension WHERE extname = 'hstore'),"
                + " (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'shop')");
    assertThat(login.stdout().strip()).as(login.outputTail()).isEqualTo("shop|1|shop");
  }

  @Test
  void converge_again_isUnchanged() {
    executor.converge(spec("blog").addExtensions("citext").build(), secret("pw-blog"));

    Convergence again =
        executor.converge(spec("blog").addExtensions("citext").build(), secret("pw-blog"));

    assertThat(again.outcome()).as(again.reason() + again.outputTail()).isEqualTo(unchanged());
  }

  @Test
  void converge_newPassword_replacesTheVerifierOnly() throws InterruptedException {
    executor.converge(spec("wiki").build(), secret("pw-old"));

    Convergence c = executor.converge(spec("wiki").build(), secret("pw-new"));

    assertThat(c.reason()).isEqualTo("password of wiki set");
    assertThat(cluster.login("wiki", "pw-new", "wiki", "SELECT 1").stdout().strip()).isEqualTo("1");
    assertThat(cluster.login("wiki", "pw-old", "wiki", "SELECT 1").succeeded()).isFalse();
  }

  @Test
  void converge_ownerChangedByHand_isGivenBack() throws InterruptedException {
    executor.converge(spec("crm").build(), secret("pw-crm"));
    ProgramRunner.Result handEdit =
        new RunuserPsql(cluster.libpqEnv()).run("ALTER DATABASE crm OWNER TO postgres;\n");
    assertThat(handEdit.succeeded()).as(handEdit.outputTail()).isTrue();

    Convergence c = executor.converge(spec("crm").build(), secret("pw-crm"));

    assertThat(c.reason()).isEqualTo("owner of crm set to crm");
  }

  @Test
  void converge_unknownExtension_failsWithPsqlsError() {
    Convergence c =
        executor.converge(spec("bad").addExtensions("no_such_extension").build(), secret("pw-bad"));

    assertThat(c.failed()).isTrue();
    assertThat(c.outputTail()).contains("no_such_extension").doesNotContain("pw-bad");
  }

  private ApplyContext secret(String password) {
    return Contexts.withSecrets(state, Map.of("database-password", password));
  }

  private static Database.Builder spec(String name) {
    return Database.newBuilder().setName(name).setPasswordSecret("database-password");
  }

  private static ResourceOutcome changed() {
    return ResourceOutcome.RESOURCE_OUTCOME_CHANGED;
  }

  private static ResourceOutcome unchanged() {
    return ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED;
  }
}
