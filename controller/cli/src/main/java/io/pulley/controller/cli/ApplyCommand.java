package io.pulley.controller.cli;

import io.grpc.StatusRuntimeException;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ApplyManifestRequest;
import io.pulley.v1.ApplyManifestResponse;
import io.pulley.v1.ManifestError;
import io.pulley.v1.ManifestErrors;
import io.pulley.v1.Revision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "apply",
    description =
        "Validate a manifest and store it as a new revision (or, with --dry-run, show the diff).")
final class ApplyCommand extends ClientCommand {
  /** Large enough for any sane manifest; the controller enforces its own limit. */
  private static final long MAX_BYTES = 4L * 1024 * 1024;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "The manifest (YAML); - reads standard input.")
  String file;

  @Option(names = "--dry-run", description = "Validate and show the diff; store nothing.")
  boolean dryRun;

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    String yaml = read(file, root().in);
    ApplyManifestResponse response;
    try {
      response =
          admin.applyManifest(
              ApplyManifestRequest.newBuilder()
                  .setManifestYaml(yaml)
                  .setSourceName(
                      file.equals("-") ? "<stdin>" : Path.of(file).getFileName().toString())
                  .setDryRun(dryRun)
                  .build());
    } catch (StatusRuntimeException e) {
      ManifestErrors errors = ManifestErrorLine.detailsOf(e);
      if (errors == null || errors.getErrorsCount() == 0) {
        throw e;
      }
      for (ManifestError error : errors.getErrorsList()) {
        err().println(ManifestErrorLine.format(file, error));
      }
      err().flush();
      int count = errors.getErrorsCount();
      throw new CliException(
          "manifest rejected with "
              + count
              + (count == 1 ? " error" : " errors")
              + "; nothing was stored. Fix the lines above and apply again",
          ExitCodes.REJECTED);
    }
    if (json()) {
      printJson(response);
      return ExitCodes.OK;
    }
    printSummary(response);
    return ExitCodes.OK;
  }

  private void printSummary(ApplyManifestResponse response) {
    Revision revision = response.getRevision();
    String name = revision.getApplication() + "/" + revision.getEnvironment();
    boolean firstRevision =
        !response.getDryRun() && response.getChanged() && revision.getNumber() == 1;
    if (!response.getDiff().isEmpty() && !firstRevision) {
      out().print(response.getDiff());
      if (!response.getDiff().endsWith("\n")) {
        out().println();
      }
    }
    if (response.getDryRun()) {
      out()
          .println(
              response.getChanged()
                  ? "dry run: the manifest is valid and would create a new revision"
                      + (response.hasRevision()
                          ? " of " + name + " (current: #" + revision.getNumber() + ")"
                          : "")
                  : "dry run: the manifest is valid and equal to "
                      + name
                      + " #"
                      + revision.getNumber());
    } else if (response.getChanged()) {
      out()
          .println(
              "applied: "
                  + name
                  + " revision "
                  + revision.getNumber()
                  + " ("
                  + (firstRevision ? "new application, " : "")
                  + shortHash(revision)
                  + "); matching hosts receive it now");
    } else {
      out()
          .println(
              "unchanged: "
                  + name
                  + " is already at this content (revision "
                  + revision.getNumber()
                  + ")");
    }
    for (String notice : response.getNoticesList()) {
      out().println("note: " + notice);
    }
    out().flush();
  }

  private static String shortHash(Revision revision) {
    return "content " + Formats.shortId(revision.getContentHash());
  }

  private static String read(String file, java.io.InputStream in) {
    try {
      byte[] bytes =
          file.equals("-") ? in.readNBytes((int) MAX_BYTES + 1) : readFile(Path.of(file));
      if (bytes.length > MAX_BYTES) {
        throw new CliException(
            file + " is larger than 4 MiB; is it really a manifest?", ExitCodes.USAGE);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliException("no such file: " + file, ExitCodes.USAGE);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage(), ExitCodes.USAGE);
    }
  }

  private static byte[] readFile(Path path) throws IOException {
    if (Files.size(path) > MAX_BYTES) {
      return new byte[(int) MAX_BYTES + 1];
    }
    return Files.readAllBytes(path);
  }
}
