package io.pulley.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
  @Test
  void metricsListen_withoutAHost_meansLoopback() {
    assertThat(ServeCommand.loopbackIfBare("9465")).isEqualTo("127.0.0.1:9465");
    assertThat(ServeCommand.loopbackIfBare(":9465")).isEqualTo("127.0.0.1:9465");
  }

  @Test
  void metricsListen_withAHost_isKept() {
    assertThat(ServeCommand.loopbackIfBare("0.0.0.0:9465")).isEqualTo("0.0.0.0:9465");
    assertThat(ServeCommand.loopbackIfBare("[::]:9465")).isEqualTo("[::]:9465");
    assertThat(ServeCommand.loopbackIfBare("metrics.internal:9465"))
        .isEqualTo("metrics.internal:9465");
  }

  @Test
  void enrolRate_zero_isRefusedBeforeAnythingStarts(@TempDir Path temp) {
    StringWriter err = new StringWriter();

    int exit = serve(err, "--data-dir", temp.toString(), "--enrol-rate-per-minute", "0");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("--enrol-rate-per-minute must be between 1 and 1000000, got 0");
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void pollHold_longerThanAnAgentWaits_isRefusedBeforeAnythingStarts(@TempDir Path temp) {
    StringWriter err = new StringWriter();

    int exit = serve(err, "--data-dir", temp.toString(), "--poll-hold-seconds", "73");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "--poll-hold-seconds must be between 1 and 72 (agents wait 90 s for a held poll)");
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void enrolRate_notANumber_isRefused(@TempDir Path temp) {
    StringWriter err = new StringWriter();

    int exit = serve(err, "--data-dir", temp.toString(), "--enrol-rate-per-minute", "lots");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--enrol-rate-per-minute").contains("lots");
  }

  @Test
  void enrolRate_default_isTheDocumentedTwenty() {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs();

    assertThat(serve.enrolRatePerMinute).isEqualTo(20);
  }

  private static int serve(StringWriter err, String... args) {
    CommandLine command = new CommandLine(new ServeCommand());
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }
}
