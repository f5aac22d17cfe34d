package io.pulley.controller.e2e;

import io.pulley.controller.cli.PulleyMain;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the real `pulley` command line in this JVM against a controller address. */
public final class Cli {
  private final String controller;

  public Cli(String controller) {
    this.controller = controller;
  }

  public Result run(String... args) {
    return runWithInput("", args);
  }

  /** Runs with {@code stdin} as standard input. */
  public Result runWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // --insecure until these tests enrol an admin with `pulley login` against a TLS controller.
    String[] all = new String[args.length + 3];
    all[0] = "--controller";
    all[1] = controller;
    all[2] = "--insecure";
    System.arraycopy(args, 0, all, 3, args.length);
    int exit =
        PulleyMain.run(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            all);
    return new Result(exit, out.toString(), err.toString());
  }

  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
