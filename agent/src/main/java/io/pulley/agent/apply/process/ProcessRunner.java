package io.pulley.agent.apply.process;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * Runs one argument list (never through a shell) with a timeout, capturing the tail of its combined
 * output. On timeout the process and its descendants are killed. Stateless and thread-safe.
 */
public final class ProcessRunner implements CommandRunner {
  static final int TAIL_BYTES = 4096;
  private static final Duration DRAIN_AFTER_KILL = Duration.ofSeconds(10);

  @Override
  public Result run(Invocation invocation) throws InterruptedException {
    List<String> argv = invocation.argv();
    Path workingDir = invocation.workingDir();
    Optional<Path> program = locate(argv.get(0), workingDir, invocation.env().get("PATH"));
    if (program.isEmpty()) {
      return new Result(-1, false, "", "program '" + argv.get(0) + "' not found in PATH");
    }
    CommandLine line = new CommandLine(program.get());
    for (String arg : argv.subList(1, argv.size())) {
      line.addArgument(arg, false); // false: commons-exec must not add quotes of its own
    }
    TailBuffer tail = new TailBuffer(TAIL_BYTES);
    ProcessCapture capture = new ProcessCapture();
    DefaultExecutor executor =
        DefaultExecutor.builder()
            .setWorkingDirectory(workingDir)
            .setExecuteStreamHandler(
                new PumpStreamHandler(
                    tail, tail, new ByteArrayInputStream(invocation.stdinBytes())))
            .get();
    executor.setExitValues(null); // every exit status is a result, not an exception
    executor.setProcessDestroyer(capture);
    DefaultExecuteResultHandler handler = new DefaultExecuteResultHandler();
    try {
      executor.execute(line, invocation.env(), handler);
    } catch (IOException e) {
      return new Result(-1, false, "", "cannot start " + argv.get(0) + ": " + e.getMessage());
    }
    boolean timedOut = false;
    try {
      handler.waitFor(invocation.timeout());
      if (!handler.hasResult()) {
        timedOut = true;
        capture.killTree();
        handler.waitFor(DRAIN_AFTER_KILL);
      }
    } catch (InterruptedException e) {
      capture.killTree();
      throw e;
    }
    return result(handler, timedOut, tail.tail(), argv.get(0));
  }

  private static Result result(
      DefaultExecuteResultHandler handler, boolean timedOut, String tail, String name) {
    if (!handler.hasResult()) {
      return new Result(-1, true, tail, "");
    }
    ExecuteException failure = handler.getException();
    if (failure != null && failure.getCause() instanceof IOException cause) {
      return new Result(-1, timedOut, tail, "cannot start " + name + ": " + cause.getMessage());
    }
    int exit = failure != null ? failure.getExitValue() : handler.getExitValue();
    return new Result(exit, timedOut, tail, "");
  }

  /** Resolves the program as execvp would, but against the child's PATH, not the agent's. */
  static Optional<Path> locate(String program, Path workingDir, String path) {
    if (program.contains("/")) {
      Path p = workingDir.resolve(program);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : (path == null ? "" : path).split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Learns the started process from commons-exec, so a timeout can kill its children too. */
  private static final class ProcessCapture implements ProcessDestroyer {
    private Process process;

    @Override
    public synchronized boolean add(Process p) {
      process = p;
      return true;
    }

    @Override
    public synchronized boolean remove(Process p) {
      return true;
    }

    @Override
    public synchronized int size() {
      return process == null ? 0 : 1;
    }

    synchronized void killTree() {
      if (process == null) {
        return;
      }
      // Children first would race with new forks; collect them, then kill parent and children.
      List<ProcessHandle> children = process.descendants().toList();
      process.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
