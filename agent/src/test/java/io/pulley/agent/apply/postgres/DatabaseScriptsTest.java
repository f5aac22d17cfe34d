package io.pulley.agent.apply.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatabaseScriptsTest {
  private static final String PASSWORD = "s3cret-Passw0rd";

  @Test
  void plan_nothingThere_createsRoleDatabaseAndExtensions() {
    DatabaseScripts.Plan plan =
        plan(new DatabaseState(false, false, "", Optional.empty(), Set.of()));

    assertThat(plan.changes())
        .containsExactly("role shop created", "database shop created", "extension hstore created");
    assertThat(plan.script())
        .contains("\\set db 'shop'\n", "\\set role 'shop'\n", "\\set verifier 'SCRAM-SHA-256$4096:")
        .contains("CREATE ROLE :\"role\" LOGIN PASSWORD :'verifier';")
        .contains("CREATE DATABASE :\"db\" OWNER :\"role\";")
        .contains(
            "\\connect :\"db\"\n\\set ext0 'hstore'\nCREATE EXTENSION IF NOT EXISTS :\"ext0\";")
        .doesNotContain(PASSWORD);
  }

  @Test
  void plan_everythingAsDeclared_isEmpty() {
    String stored = ScramVerifier.generate(PASSWORD, new Random(1)).text();

    DatabaseScripts.Plan plan =
        plan(
            new DatabaseState(
                true, true, stored, Optional.of("shop"), Set.of("plpgsql", "hstore")));

    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.script()).isEmpty();
  }

  @Test
  void plan_storedVerifierForAnotherPassword_setsOnlyThePassword() {
    String stored = ScramVerifier.generate("old password", new Random(1)).text();

    DatabaseScripts.Plan plan =
        plan(new DatabaseState(true, true, stored, Optional.of("shop"), Set.of("hstore")));

    assertThat(plan.changes()).containsExactly("password of shop set");
    assertThat(plan.script()).contains("ALTER ROLE :\"role\" PASSWORD :'verifier';");
    assertThat(plan.script()).doesNotContain("CREATE", "OWNER");
  }

  @Test
  void plan_md5Password_isReplacedByAScramVerifier() {
    DatabaseScripts.Plan plan =
        plan(
            new DatabaseState(
                true, true, "md5" + "a".repeat(32), Optional.of("shop"), Set.of("hstore")));

    assertThat(plan.changes()).containsExactly("password of shop set");
  }

  @Test
  void plan_otherOwnerAndNoLogin_fixesBoth() {
    String stored = ScramVerifier.generate(PASSWORD, new Random(1)).text();

    DatabaseScripts.Plan plan =
        plan(new DatabaseState(true, false, stored, Optional.of("postgres"), Set.of("hstore")));

    assertThat(plan.changes()).containsExactly("role shop may log in", "owner of shop set to shop");
    assertThat(plan.script())
        .contains("ALTER ROLE :\"role\" LOGIN;", "ALTER DATABASE :\"db\" OWNER TO :\"role\";")
        .doesNotContain("verifier");
  }

  @Test
  void inspect_passesNamesAsVariables() {
    assertThat(DatabaseScripts.inspect("shop", "shop_owner"))
        .startsWith("\\set db 'shop'\n\\set role 'shop_owner'\n")
        .contains("WHERE rolname = :'role'", "\\connect :\"db\"");
  }

  @Test
  void set_quotesAndBackslashes_areEscapedForPsql() {
    assertThat(DatabaseScripts.set("v", "it's a\\b")).isEqualTo("\\set v 'it''s a\\\\b'\n");
  }

  @Test
  void parse_taggedLines_ignoresPsqlChatter() {
    DatabaseState state =
        DatabaseState.parse(
            "role|t|SCRAM-SHA-256$4096:x$y:z\ndatabase|shop\nYou are now connected to database"
                + " \"shop\" as user \"postgres\".\nextension|plpgsql\nextension|hstore\n");

    assertThat(state.roleExists()).isTrue();
    assertThat(state.roleCanLogin()).isTrue();
    assertThat(state.verifier()).isEqualTo("SCRAM-SHA-256$4096:x$y:z");
    assertThat(state.databaseOwner()).contains("shop");
    assertThat(state.extensions()).containsExactlyInAnyOrder("plpgsql", "hstore");
    assertThat(state.toString()).doesNotContain("SCRAM");
  }

  @Test
  void parse_nothing_meansNoRoleAndNoDatabase() {
    DatabaseState state = DatabaseState.parse("");

    assertThat(state.roleExists()).isFalse();
    assertThat(state.databaseOwner()).isEmpty();
  }

  private static DatabaseScripts.Plan plan(DatabaseState state) {
    return DatabaseScripts.plan("shop", "shop", PASSWORD, List.of("hstore"), state, new Random(3));
  }
}
