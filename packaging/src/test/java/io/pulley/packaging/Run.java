package io.pulley.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A finished process: its exit status and its output (stdout and stderr, interleaved). */
record Run(List<String> argv, int exitStatus, String output) {

  /** Runs argv in dir, with extra environment variables, and waits at most timeout. */
  static Run of(Path dir, Map<String, String> env, Duration timeout, List<String> argv) {
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      // Read while it runs: a listing of a 40 MB package would fill the pipe and block it.
      Thread reader = new Thread(() -> drain(process.getInputStream(), output), "run-output");
      reader.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(argv + " did not finish within " + timeout);
      }
      reader.join();
      return new Run(argv, process.exitValue(), output.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + argv, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + argv, e);
    }
  }

  static Run of(Path dir, String... argv) {
    return of(dir, Map.of(), Duration.ofMinutes(2), List.of(argv));
  }

  /** Fails with the command and its output unless it exited with 0. */
  Run assertSucceeded() {
    if (exitStatus != 0) {
      throw new AssertionError(argv + " exited with " + exitStatus + ":\n" + output);
    }
    return this;
  }

  private static void drain(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
