package io.pulley.controller.e2e;

import io.pulley.controller.cli.PulleyMain;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the real `pulley` command line in this JVM against a controller address: plaintext for a
 * controller started {@code --insecure}, or, made with {@link #withHome}, over mutual TLS with the
 * credentials `pulley login` keeps under that home.
 */
public final class Cli {
  private final String controller;
  private final Path home;

  public Cli(String controller) {
    this(controller, null);
  }

  private Cli(String controller, Path home) {
    this.controller = controller;
    this.home = home;
  }

  /** A CLI whose config and credentials live under {@code home} (no environment is read). */
  public static Cli withHome(String controller, Path home) {
    return new Cli(controller, home);
  }

  public Result run(String... args) {
    return runWithInput("", args);
  }

  /** Runs with {@code stdin} as standard input. */
  public Result runWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--controller", controller));
    if (home == null) {
      all.add("--insecure");
    }
    all.addAll(List.of(args));
    var in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    String[] argv = all.toArray(String[]::new);
    int exit =
        home == null
            ? PulleyMain.run(in, new PrintWriter(out, true), new PrintWriter(err, true), argv)
            : PulleyMain.run(
                Map.of(), home, in, new PrintWriter(out, true), new PrintWriter(err, true), argv);
    return new Result(exit, out.toString(), err.toString());
  }

  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
