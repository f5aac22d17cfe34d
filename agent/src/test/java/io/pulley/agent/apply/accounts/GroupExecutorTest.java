package io.pulley.agent.apply.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.process.RecordingRunner;
import io.pulley.v1.lite.Group;
import io.pulley.v1.lite.ResourceOutcome;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupExecutorTest {
  @TempDir Path stateDir;
  final RecordingRunner runner = new RecordingRunner();
  final GroupExecutor executor = new GroupExecutor(runner);

  private static Group group(String name) {
    return Group.newBuilder().setName(name).build();
  }

  @Test
  void converge_existingGroup_isUnchanged() throws Exception {
    runner.answer("getent group app", 0, "app:x:998:\n");

    Convergence c = executor.converge(group("app"), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(runner.changes()).isEmpty();
  }

  @Test
  void converge_missingGroup_isCreatedAsSystemGroup() throws Exception {
    runner.answer("getent group app", 2, "");

    Convergence c = executor.converge(group("app"), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).isEqualTo("created system group app");
    assertThat(runner.changes()).containsExactly("groupadd --system app");
  }

  @Test
  void converge_groupaddFails_failsWithItsOutput() throws Exception {
    runner.answer("getent group app", 2, "").answer("groupadd", 10, "groupadd: cannot lock\n");

    Convergence c = executor.converge(group("app"), Contexts.plain(stateDir));

    assertThat(c.reason()).isEqualTo("groupadd --system app: exit status 10");
    assertThat(c.outputTail()).isEqualTo("groupadd: cannot lock\n");
  }

  @Test
  void converge_getentBroken_throwsForTheApplierToReport() {
    runner.answer("getent group app", 1, "");

    assertThatThrownBy(() -> executor.converge(group("app"), Contexts.plain(stateDir)))
        .isInstanceOf(IOException.class)
        .hasMessage("getent group app: exit status 1");
    assertThat(runner.changes()).isEmpty();
  }

  @Test
  void converge_invalidName_failsNamingIt() throws Exception {
    Convergence c = executor.converge(group("App Group"), Contexts.plain(stateDir));

    assertThat(c.reason()).startsWith("group name 'App Group' is not valid");
    assertThat(runner.calls()).isEmpty();
  }
}
