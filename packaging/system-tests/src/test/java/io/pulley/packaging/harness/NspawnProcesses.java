package io.pulley.packaging.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds running systemd-nspawn processes by their {@code --machine=} argument, whoever started them
 * (this JVM, an earlier one, or {@code pristine.sh}). Stateless and thread-safe.
 */
final class NspawnProcesses {

  private NspawnProcesses() {}

  static List<ProcessHandle> forMachine(String name) {
    return ProcessHandle.allProcesses()
        .filter(process -> machineName(process.pid()).equals(Optional.of(name)))
        .toList();
  }

  /** Machine names of all nspawn processes whose name starts with {@code prefix}. */
  static List<String> machines(String prefix) {
    List<String> names = new ArrayList<>();
    ProcessHandle.allProcesses()
        .forEach(
            process ->
                machineName(process.pid())
                    .filter(name -> name.startsWith(prefix))
                    .ifPresent(names::add));
    return names;
  }

  private static Optional<String> machineName(long pid) {
    List<String> argv = cmdline(pid);
    if (argv.isEmpty() || !argv.get(0).endsWith("systemd-nspawn")) {
      return Optional.empty();
    }
    return argv.stream()
        .filter(arg -> arg.startsWith("--machine="))
        .map(arg -> arg.substring("--machine=".length()))
        .findFirst();
  }

  private static List<String> cmdline(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return raw.length == 0
          ? List.of()
          : Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException e) {
      return List.of(); // exited meanwhile, or a kernel thread
    }
  }
}
