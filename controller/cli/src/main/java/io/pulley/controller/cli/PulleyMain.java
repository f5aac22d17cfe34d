package io.pulley.controller.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The admin CLI {@code pulley}: its global options and commands, each of which talks to a
 * controller through the AdminService contract only. The jar's entry point adds the daemon's {@code
 * serve} to these.
 */
@Command(
    name = "pulley",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Pulley: pull-based deploys for Python web applications.",
    subcommands = {
      ApplyCommand.class,
      StatusCommand.class,
      HostsCommand.class,
      HistoryCommand.class,
      RevisionCommand.class,
      RollbackCommand.class,
      PromoteCommand.class,
      RolloutCommand.class,
      PlanCommand.class,
      SecretCommand.class,
      LoginCommand.class,
      TokenCommand.class,
      AdminsCommand.class,
      WhoAmICommand.class,
      AuditCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the operation failed (for example a host's last apply failed)",
      "2:usage error",
      "3:the manifest or request was rejected as invalid; nothing was stored",
      "4:not found (no such revision, application or host)",
      "5:the controller could not be reached",
      "6:not allowed: no credentials, credentials refused, or a role too low"
    })
public final class PulleyMain {

  @Option(
      names = "--controller",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT",
      description =
          "Controller address (default: $PULLEY_CONTROLLER, else the config file, else"
              + " 127.0.0.1:7400).")
  String controller;

  @Option(
      names = "--credentials",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description =
          "Your key and certificate (default: $PULLEY_CREDENTIALS, else the config file, else"
              + " ~/.config/pulley/credentials).")
  Path credentials;

  /**
   * Not inherited: {@code serve}, added beside these commands, has its own {@code --insecure}; each
   * client command declares the flag itself (see ClientCommand).
   */
  static final String INSECURE_HELP =
      "Plaintext, no credentials: only for a controller started with --insecure (also"
          + " PULLEY_INSECURE=1).";

  @Option(names = "--insecure", description = INSECURE_HELP)
  boolean insecure;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "Output format: table (default) or json.",
      defaultValue = "table")
  OutputFormat output;

  /** Where commands read input from: standard input, unless a test gives its own. */
  InputStream in = System.in;

  /** The environment and home directory the settings are found from; tests give their own. */
  Map<String, String> env = System.getenv();

  /** $HOME, as shells and other CLIs take it; the JVM's user.home comes from the passwd entry. */
  Path home =
      Path.of(
          System.getenv("HOME") == null || System.getenv("HOME").isBlank()
              ? System.getProperty("user.home")
              : System.getenv("HOME"));

  Clock clock = Clock.systemUTC();

  /** The controller, credentials and transport: flags, then environment, then config file. */
  ClientSettings settings() {
    return settings(false);
  }

  /** The settings, plaintext also if the subcommand itself was given {@code --insecure}. */
  ClientSettings settings(boolean subcommandInsecure) {
    return ClientSettings.resolve(
        new ClientSettings.Flags(controller, credentials, insecure || subcommandInsecure),
        env,
        home);
  }

  private PulleyMain() {}

  /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the CLI with its output going to {@code out} and {@code err}. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(System.in, out, err, args);
  }

  /** Runs the CLI reading standard input from {@code in}. */
  public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
    return commandLine(in, out, err).execute(args);
  }

  /**
   * Runs the CLI with its own environment and home directory, so that tests keep its credentials
   * and config file away from the home of whoever runs them.
   */
  public static int run(
      Map<String, String> env,
      Path home,
      InputStream in,
      PrintWriter out,
      PrintWriter err,
      String... args) {
    CommandLine commandLine = commandLine(in, out, err);
    PulleyMain main = commandLine.getCommand();
    main.env = env;
    main.home = home;
    return commandLine.execute(args);
  }

  /** The admin commands, ready to execute; a launcher may add its own (the daemon's serve). */
  public static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
    PulleyMain main = new PulleyMain();
    main.in = in;
    CommandLine commandLine = new CommandLine(main);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler(new CliErrors());
    return commandLine;
  }
}
