package io.pulley.controller.cli;

import io.pulley.controller.logging.JulBridge;
import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Entry point of {@code pulley} (the admin CLI) and {@code pulley-controller} (the daemon, through
 * {@code serve}): one jar, so an admin host and a controller host install the same thing.
 */
@Command(
    name = "pulley",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Pulley: pull-based deploys for Python web applications.",
    subcommands = {
      ServeCommand.class,
      ApplyCommand.class,
      StatusCommand.class,
      HostsCommand.class,
      HistoryCommand.class,
      RevisionCommand.class,
      RollbackCommand.class,
      RolloutCommand.class,
      PlanCommand.class,
      SecretCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the operation failed (for example a host's last apply failed)",
      "2:usage error",
      "3:the manifest or request was rejected as invalid; nothing was stored",
      "4:not found (no such revision, application or host)",
      "5:the controller could not be reached"
    })
public final class PulleyMain {

  @Option(
      names = "--controller",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT",
      description = "Controller address (default: $PULLEY_CONTROLLER, else ${DEFAULT-VALUE}).",
      defaultValue = "${env:PULLEY_CONTROLLER:-127.0.0.1:7400}")
  String controller;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "Output format: table (default) or json.",
      defaultValue = "table")
  OutputFormat output;

  /** Where commands read input from: standard input, unless a test gives its own. */
  InputStream in = System.in;

  private PulleyMain() {}

  public static void main(String[] args) {
    boolean daemon = args.length > 0 && args[0].equals("serve");
    if (!daemon) {
      // Set before the first logger exists: the CLI shows warnings only, and on stderr.
      System.setProperty("pulley.log.target", "System.err");
      System.setProperty("pulley.log.level", "WARN");
    }
    JulBridge.install();
    System.exit(run(args));
  }

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
    PulleyMain main = new PulleyMain();
    main.in = in;
    CommandLine commandLine = new CommandLine(main);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler(new CliErrors());
    return commandLine.execute(args);
  }
}
