package io.pulley.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class PulleyMainTest {

  /** Like the daemon's serve, which the controller's jar adds beside the admin commands. */
  @Command(name = "serve")
  static final class Serve implements Runnable {
    @Option(names = "--insecure")
    boolean insecure;

    @Override
    public void run() {}
  }

  @Test
  void commandLine_acceptsALauncherCommandWithItsOwnInsecureFlag() {
    CommandLine commandLine = commandLine();

    commandLine.addSubcommand(new Serve());

    assertThat(commandLine.getSubcommands()).containsKey("serve");
  }

  @Test
  void insecure_beforeOrAfterTheCommand_meansPlaintext() {
    CommandLine before = commandLine();
    CommandLine.ParseResult parsed = before.parseArgs("--insecure", "whoami");
    PulleyMain main = before.getCommand();
    ClientCommand whoami = parsed.subcommand().commandSpec().commandLine().getCommand();
    assertThat(main.settings(whoami.insecure).insecure()).isTrue();

    CommandLine after = commandLine();
    parsed = after.parseArgs("whoami", "--insecure");
    whoami = parsed.subcommand().commandSpec().commandLine().getCommand();
    assertThat(((PulleyMain) after.getCommand()).settings(whoami.insecure).insecure()).isTrue();
  }

  private static CommandLine commandLine() {
    return PulleyMain.commandLine(
        new ByteArrayInputStream(new byte[0]),
        new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
  }
}
