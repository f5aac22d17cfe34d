package io.pulley.packaging.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one host command as an argument list (never through a shell), with a clean environment and a
 * timeout. Thread-safe: each call is independent.
 */
final class HostCommand {

  /** The environment every command gets: the caller's (Maven's, the IDE's) must not leak in. */
  private static final Map<String, String> ENV =
      Map.of(
          "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "LANG", "C.UTF-8",
          "HOME", "/root",
          "DEBIAN_FRONTEND", "noninteractive",
          "SYSTEMD_PAGER", "",
          "TERM", "dumb");

  private HostCommand() {}

  static ExecResult run(Duration timeout, List<String> argv) {
    return run(timeout, argv, null);
  }

  /** Runs {@code argv}; {@code stdin} (may be null) is a file fed to its standard input. */
  static ExecResult run(Duration timeout, List<String> argv, Path stdin) {
    Path out = null;
    Path err = null;
    Process process = null;
    try {
      out = Files.createTempFile("pulley-harness-out", ".txt");
      err = Files.createTempFile("pulley-harness-err", ".txt");
      ProcessBuilder builder = new ProcessBuilder(argv);
      builder.environment().clear();
      builder.environment().putAll(ENV);
      // Output goes to files, not pipes: a chatty command cannot block on a full pipe buffer.
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.redirectInput(stdin == null ? new File("/dev/null") : stdin.toFile());
      process = builder.start();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      return new ExecResult(
          argv, finished ? process.exitValue() : -1, read(out), read(err), !finished);
    } catch (IOException e) {
      return new ExecResult(argv, -1, "", "cannot run: " + e.getMessage(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return new ExecResult(argv, -1, "", "interrupted", true);
    } finally {
      delete(out);
      delete(err);
    }
  }

  private static String read(Path file) throws IOException {
    // Lenient decoding: a command may print bytes that are not UTF-8.
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  private static void delete(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
