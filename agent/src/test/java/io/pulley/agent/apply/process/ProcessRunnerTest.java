package io.pulley.agent.apply.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.agent.apply.process.CommandRunner.Invocation;
import io.pulley.agent.apply.process.CommandRunner.Result;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
