package io.pulley.agent.apply.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.process.RecordingRunner;
import io.pulley.v1.lite.ResourceOutcome;
import io.pulley.v1.lite.User;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserExecutorTest {
  @TempDir Path stateDir;
  final RecordingRunner runner = new RecordingRunner();
  final UserExecutor executor = new UserExecutor(runner);

  private static User.Builder user() {
    return User.newBuilder().setName("app").setGroup("app").setHome("/srv/app");
  }

  @Test
  void converge_missingUser_isCreatedAsSystemUserWithoutHome() throws Exception {
    runner
        .answer("getent group app", 0, "app:x:998:\n")
        .answer("getent group www-data", 0, "www-data:x:33:\n")
        .answer("getent passwd app", 2, "");

    Convergence c =
        executor.converge(user().addGroups("www-data").build(), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).isEqualTo("created system user app");
    assertThat(runner.changes())
        .containsExactly(
            "useradd --system --gid app --home-dir /srv/app --no-create-home"
                + " --shell /usr/sbin/nologin --groups www-data app");
  }

  @Test
  void converge_asDeclared_isUnchanged() throws Exception {
    runner
        .answer("getent group app", 0, "app:x:998:\n")
        .answer("getent group www-data", 0, "www-data:x:33:nginx,app\n")
        .answer("getent passwd app", 0, "app:x:998:998::/srv/app:/usr/sbin/nologin\n");

    Convergence c =
        executor.converge(user().addGroups("www-data").build(), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(runner.changes()).isEmpty();
  }

  @Test
  void converge_differentShellHomeAndMissingGroup_areCorrectedInOneUsermod() throws Exception {
    runner
        .answer("getent group app", 0, "app:x:998:\n")
        .answer("getent group www-data", 0, "www-data:x:33:nginx\n")
        .answer("getent passwd app", 0, "app:x:998:998::/home/app:/bin/bash\n");

    Convergence c =
        executor.converge(user().addGroups("www-data").build(), Contexts.plain(stateDir));

    assertThat(c.reason())
        .isEqualTo(
            "home /home/app → /srv/app, shell /bin/bash → /usr/sbin/nologin, added to www-data");
    assertThat(runner.changes())
        .containsExactly(
            "usermod --home /srv/app --shell /usr/sbin/nologin --append --groups www-data app");
  }

  @Test
  void converge_otherPrimaryGroup_isChanged() throws Exception {
    runner
        .answer("getent group app", 0, "app:x:998:\n")
        .answer("getent passwd app", 0, "app:x:998:100::/srv/app:/usr/sbin/nologin\n");

    Convergence c = executor.converge(user().build(), Contexts.plain(stateDir));

    assertThat(runner.changes()).containsExactly("usermod --gid app app");
    assertThat(c.reason()).isEqualTo("primary group → app");
  }

  @Test
  void converge_noGroupDeclaredAndNoneNamedLikeTheUser_getsItsOwnGroup() throws Exception {
    runner.answer("getent group", 2, "").answer("getent passwd", 2, "");

    executor.converge(User.newBuilder().setName("worker").build(), Contexts.plain(stateDir));

    assertThat(runner.changes())
        .containsExactly(
            "useradd --system --user-group --home-dir /nonexistent --no-create-home"
                + " --shell /usr/sbin/nologin worker");
  }

  @Test
  void converge_declaredGroupMissing_failsWithoutChanging() throws Exception {
    runner.answer("getent group", 2, "");

    Convergence c = executor.converge(user().build(), Contexts.plain(stateDir));

    assertThat(c.reason()).isEqualTo("primary group app does not exist (declare a Group first)");
    assertThat(runner.changes()).isEmpty();
  }

  @Test
  void converge_supplementaryGroupMissing_failsNamingIt() throws Exception {
    runner.answer("getent group app", 0, "app:x:998:\n").answer("getent group nope", 2, "");

    Convergence c = executor.converge(user().addGroups("nope").build(), Contexts.plain(stateDir));

    assertThat(c.reason()).isEqualTo("supplementary group nope does not exist");
  }

  @Test
  void converge_invalidNamesOrPaths_failBeforeRunningAnything() throws Exception {
    assertThat(
            executor.converge(user().setName("root;rm").build(), Contexts.plain(stateDir)).reason())
        .startsWith("user name 'root;rm' is not valid");
    assertThat(
            executor.converge(user().addGroups("--all").build(), Contexts.plain(stateDir)).reason())
        .startsWith("group name '--all' is not valid");
    assertThat(
            executor.converge(user().setHome("srv/app").build(), Contexts.plain(stateDir)).reason())
        .isEqualTo("path srv/app is not absolute and normalised");
    assertThat(runner.calls()).isEmpty();
  }
}
