package io.pulley.agent.apply.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.agent.apply.process.CommandRunner.Invocation;
import io.pulley.agent.apply.process.CommandRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
  final ProcessRunner runner = new ProcessRunner();

  @Test
  void run_stdin_isSentAndClosed() throws Exception {
    Result r =
        runner.run(Invocation.of(List.of("cat"), Duration.ofSeconds(30)).withStdin("SELECT 1;\n"));

    assertThat(r.succeeded()).isTrue();
    assertThat(r.outputTail()).isEqualTo("SELECT 1;\n");
  }

  @Test
  void run_noStdin_readersSeeEndOfInput() throws Exception {
    Result r = runner.run(Invocation.of(List.of("wc", "-c"), Duration.ofSeconds(30)));

    assertThat(r.outputTail().strip()).isEqualTo("0");
  }

  @Test
  void run_failure_isDescribed() throws Exception {
    Duration timeout = Duration.ofSeconds(30);
    Result r = runner.run(Invocation.of(List.of("sh", "-c", "exit 4"), timeout));

    assertThat(r.succeeded()).isFalse();
    assertThat(r.failure(timeout)).isEqualTo("exit status 4");
  }

  @Test
  void invocation_emptyArgv_isRejected() {
    assertThatThrownBy(() -> Invocation.of(List.of(), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("argv is empty");
  }

  @Test
  void run_arguments_arriveByteForByte() throws Exception {
    List<String> args = List.of("a\nb", "${HOME}", "\"q\" 'x'", "tab\there", "", "*");
    List<String> argv = new java.util.ArrayList<>(List.of("printf", "[%s]"));
    argv.addAll(args);

    Result r = runner.run(Invocation.of(argv, Duration.ofSeconds(30)));

    assertThat(r.outputTail()).isEqualTo("[a\nb][${HOME}][\"q\" 'x'][tab\there][][*]");
  }

  @Test
  void run_backgroundChildHoldingTheOutput_doesNotHoldTheRunUp(@TempDir Path dir) throws Exception {
    Path pid = dir.resolve("child.pid");
    try {
      Result r =
          runner.run(
              Invocation.of(
                  List.of("sh", "-c", "echo before; sleep 30 & echo $! > " + pid + "; echo after"),
                  Duration.ofSeconds(60)));

      assertThat(r.succeeded()).isTrue();
      assertThat(r.outputTail()).startsWith("before\nafter\n");
    } finally {
      ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
