package io.pulley.agent.apply.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgramRunnerTest {
  private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");

  private final ProgramRunner runner = new ProgramRunner();

  @Test
  void run_withStdin_feedsItToTheProgram() throws InterruptedException {
    ProgramRunner.Result r = run(List.of("cat"), "SELECT 1;\n");

    assertThat(r.succeeded()).isTrue();
    assertThat(r.stdout()).isEqualTo("SELECT 1;\n");
  }

  @Test
  void run_keepsStdoutApartFromStderr() throws InterruptedException {
    ProgramRunner.Result r = run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), "");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");
    assertThat(r.outputTail()).isEqualTo("out\nerr\n");
    assertThat(r.failure()).isEqualTo("exit status 3");
  }

  @Test
  void run_onlyTheGivenEnvironment_reachesTheProgram() throws InterruptedException {
    ProgramRunner.Result r = run(List.of("env"), "");

    assertThat(r.stdout().lines().sorted()).containsExactly("LANG=C.UTF-8", "PATH=/usr/bin:/bin");
  }

  @Test
  void run_pastTimeout_killsTheProgram() throws InterruptedException {
    ProgramRunner.Result r =
        runner.run(List.of("sleep", "600"), Path.of("/"), ENV, new byte[0], Duration.ofMillis(100));

    assertThat(r.timedOut()).isTrue();
    assertThat(r.succeeded()).isFalse();
    assertThat(r.failure()).isEqualTo("timed out");
  }

  @Test
  void run_unknownProgram_reportsItWithoutStarting() throws InterruptedException {
    ProgramRunner.Result r = run(List.of("no-such-program-here"), "");

    assertThat(r.startError()).isEqualTo("program 'no-such-program-here' not found in PATH");
  }

  @Test
  void run_hugeOutput_keepsTheLastMegabyte() throws InterruptedException {
    ProgramRunner.Result r =
        run(List.of("sh", "-c", "head -c 3000000 /dev/zero | tr '\\000' a; echo end"), "");

    assertThat(r.stdout()).hasSize(ProgramRunner.STDOUT_LIMIT).endsWith("aaend\n");
    assertThat(r.outputTail()).hasSize(ProgramRunner.TAIL_CHARS);
  }

  private ProgramRunner.Result run(List<String> argv, String stdin) throws InterruptedException {
    return runner.run(
        argv, Path.of("/"), ENV, stdin.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
  }
}
