package io.pulley.controller.cli;

import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.SetSecretRequest;
import io.pulley.v1.SetSecretResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "set",
    description = {
      "Set a secret of an application in an environment, such as an SSH deploy key.",
      "The value is read from standard input (all of it; a one-line value loses its trailing"
          + " newline), or from --from-file. It is never printed, logged or part of a revision."
    })
final class SecretSetCommand extends ClientCommand {
  // Room for a trailing CRLF after the largest value, plus one byte to notice a larger one.
  private static final int READ_LIMIT = SecretText.MAX_BYTES + 3;

  @Parameters(index = "0", paramLabel = "APP")
  String application;

  @Parameters(index = "1", paramLabel = "ENV")
  String environment;

  @Parameters(index = "2", paramLabel = "NAME", description = "Such as deploy-key.")
  String name;

  @Option(
      names = "--from-file",
      paramLabel = "PATH",
      description = "Read the value from this file instead of standard input.")
  Path fromFile;

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    String value =
        fromFile == null
            ? SecretText.value(readStdin(), "standard input")
            : SecretText.value(readFile(fromFile), fromFile.toString());
    SetSecretResponse response =
        admin.setSecret(
            SetSecretRequest.newBuilder()
                .setApplication(application)
                .setEnvironment(environment)
                .setName(name)
                .setValue(value)
                .build());
    if (json()) {
      printJsonWithDefaults(response);
      return ExitCodes.OK;
    }
    out()
        .println(
            "secret "
                + name
                + " of "
                + application
                + "/"
                + environment
                + " set ("
                + (response.getCreated() ? "created" : "replaced")
                + "); hosts receive it with their next plan");
    out().flush();
    return ExitCodes.OK;
  }

  private byte[] readStdin() {
    InputStream in = root().in;
    if (in == System.in && System.console() != null) {
      // At a terminal, reading stdin looks like a hang; say what it waits for.
      err()
          .println(
              "pulley: reading the value of " + name + " from standard input; end with Ctrl-D");
      err().flush();
    }
    try {
      return in.readNBytes(READ_LIMIT);
    } catch (IOException e) {
      throw new CliException("cannot read standard input: " + e.getMessage(), ExitCodes.USAGE);
    }
  }

  private static byte[] readFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(READ_LIMIT);
    } catch (NoSuchFileException e) {
      throw new CliException("no such file: " + file, ExitCodes.USAGE);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage(), ExitCodes.USAGE);
    }
  }
}
