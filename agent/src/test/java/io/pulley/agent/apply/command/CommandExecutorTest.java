package io.pulley.agent.apply.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.v1.Command;
import io.pulley.v1.ResourceOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandExecutorTest {
  @TempDir Path dir;
  @TempDir Path stateDir;
  final CommandExecutor executor = new CommandExecutor();

  private static Command.Builder command(String... argv) {
    return Command.newBuilder().addAllArgv(List.of(argv));
  }

  @Test
  void converge_successfulCommand_isChangedWithOutput() {
    Convergence c =
        executor.converge(
            command("echo", "hello", "$HOME;", "*").build(), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.outputTail()).as("no shell expands anything").isEqualTo("hello $HOME; *\n");
  }

  @Test
  void converge_nonZeroExit_failsWithStatusAndCombinedOutput() {
    Convergence c =
        executor.converge(
            command("sh", "-c", "echo out; echo err >&2; exit 3").build(),
            Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).isEqualTo("exit status 3");
    assertThat(c.outputTail()).contains("out\n").contains("err\n");
  }

  @Test
  void converge_workingDirAndEnv_areApplied() {
    Convergence c =
        executor.converge(
            command("sh", "-c", "pwd; echo $GREETING; echo $LANG; echo $PATH")
                .setWorkingDir(dir.toString())
                .putEnv("GREETING", "hi")
                .build(),
            Contexts.plain(stateDir));

    assertThat(c.outputTail())
        .isEqualTo(
            dir + "\nhi\nC.UTF-8\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
  }

  @Test
  void converge_onlyTheMinimalEnvironmentIsPassed() {
    Convergence c = executor.converge(command("env").build(), Contexts.plain(stateDir));

    assertThat(c.outputTail().lines().map(l -> l.substring(0, l.indexOf('='))).sorted())
        .containsExactly("LANG", "PATH");
  }

  @Test
  void converge_createsPathExists_isSkippedUnchanged() throws Exception {
    Path marker = Files.createFile(dir.resolve("done"));
    Path proof = dir.resolve("ran");

    Convergence c =
        executor.converge(
            command("touch", proof.toString()).setCreates(marker.toString()).build(),
            Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(c.reason()).isEqualTo("skipped: " + marker + " exists");
    assertThat(proof).doesNotExist();
  }

  @Test
  void converge_createsPathMissing_runs() {
    Path marker = dir.resolve("done");

    Convergence first =
        executor.converge(
            command("touch", marker.toString()).setCreates(marker.toString()).build(),
            Contexts.plain(stateDir));
    Convergence second =
        executor.converge(
            command("touch", marker.toString()).setCreates(marker.toString()).build(),
            Contexts.plain(stateDir));

    assertThat(first.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(second.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
  }

  @Test
  void converge_unlessSucceeds_isSkippedUnchanged() {
    Path proof = dir.resolve("ran");

    Convergence c =
        executor.converge(
            command("touch", proof.toString()).addUnless("true").build(), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(c.reason()).isEqualTo("skipped: unless command exited 0");
    assertThat(proof).doesNotExist();
  }

  @Test
  void converge_unlessFails_runsTheCommand() {
    Path proof = dir.resolve("ran");

    Convergence c =
        executor.converge(
            command("touch", proof.toString()).addUnless("false").build(),
            Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(proof).exists();
  }

  @Test
  void converge_timeout_killsTheProcessTreeAndFails() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Convergence c =
        executor.converge(
            command("sh", "-c", "sleep 60 & echo $! > " + pidFile + "; echo started; wait")
                .setTimeoutSeconds(1)
                .build(),
            Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).isEqualTo("timed out after 1s");
    assertThat(c.outputTail()).isEqualTo("started\n");
    long child = Long.parseLong(Files.readString(pidFile).strip());
    await().atMost(Duration.ofSeconds(30)).until(() -> deadOrZombie(child));
  }

  /** A killed child whose new parent does not reap it (PID 1 in a container) stays a zombie. */
  private static boolean deadOrZombie(long pid) throws Exception {
    Path stat = Path.of("/proc/" + pid + "/stat");
    if (!Files.exists(stat)) {
      return true;
    }
    String text = Files.readString(stat);
    return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
  }

  @Test
  void converge_hugeOutput_keepsOnlyTheLast4KiB() {
    Convergence c =
        executor.converge(
            command("sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' a; echo; echo THE-END")
                .build(),
            Contexts.plain(stateDir));

    assertThat(c.outputTail().getBytes(StandardCharsets.UTF_8)).hasSize(4096);
    assertThat(c.outputTail()).endsWith("aaaa\nTHE-END\n");
  }

  @Test
  void converge_unknownProgram_failsWithoutRunning() {
    Convergence c =
        executor.converge(command("no-such-program-pulley").build(), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).isEqualTo("program 'no-such-program-pulley' not found in PATH");
  }

  @Test
  void converge_emptyArgv_fails() {
    assertThat(executor.converge(Command.getDefaultInstance(), Contexts.plain(stateDir)).reason())
        .isEqualTo("argv is empty");
  }
}
