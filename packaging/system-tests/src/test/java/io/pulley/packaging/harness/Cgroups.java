package io.pulley.packaging.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One cgroup per server. With {@code --keep-unit} and no host systemd, systemd-nspawn creates its
 * {@code payload} and {@code supervisor} groups inside the cgroup it was started in; two servers
 * started from the same cgroup would share them, so each nspawn starts in its own group, named like
 * the server. Stateless and thread-safe.
 */
final class Cgroups {

  private static final Path ROOT = Path.of("/sys/fs/cgroup");

  /**
   * Moves itself into each cgroup directory given before {@code --} (creating it), then execs the
   * rest. The values arrive as positional parameters; none is part of the script text.
   */
  private static final String WRAPPER =
      "while [ \"$1\" != -- ]; do mkdir -p \"$1\" && echo $$ > \"$1/cgroup.procs\" || exit 125;"
          + " shift; done; shift; exec \"$@\"";

  private Cgroups() {}

  /** The hierarchies systemd-nspawn uses: the unified one, and the named v1 one on hybrid hosts. */
  static List<Path> hierarchies() {
    if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
      return List.of(ROOT);
    }
    List<Path> found = new ArrayList<>();
    for (String name : List.of("systemd", "unified")) {
      if (Files.exists(ROOT.resolve(name).resolve("cgroup.procs"))) {
        found.add(ROOT.resolve(name));
      }
    }
    return found;
  }

  /** {@code command}, prefixed so that it starts in cgroup {@code name} of every hierarchy. */
  static List<String> startIn(String name, List<String> command) {
    List<String> argv = new ArrayList<>(List.of("sh", "-c", WRAPPER, "pulley-cgroup-wrapper"));
    for (Path hierarchy : hierarchies()) {
      argv.add(hierarchy.resolve(name).toString());
    }
    argv.add("--");
    argv.addAll(command);
    return argv;
  }

  /** Names of harness cgroups ({@code prefix…}) in any hierarchy. */
  static List<String> names(String prefix) {
    List<String> names = new ArrayList<>();
    for (Path hierarchy : hierarchies()) {
      try (Stream<Path> children = Files.list(hierarchy)) {
        children
            .filter(Files::isDirectory)
            .map(child -> child.getFileName().toString())
            .filter(child -> child.startsWith(prefix))
            .forEach(names::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return names;
  }

  /**
   * Kills every process in cgroup {@code name} or below: through {@code cgroup.kill} where the
   * kernel has it (it also catches processes forked meanwhile), else one by one.
   */
  static void kill(String name) {
    for (Path hierarchy : hierarchies()) {
      Path killFile = hierarchy.resolve(name).resolve("cgroup.kill");
      if (Files.exists(killFile)) {
        try {
          Files.writeString(killFile, "1");
        } catch (IOException e) {
          // The group went away meanwhile: nothing left to kill in it.
        }
      }
    }
    pids(name).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  /** Every process in cgroup {@code name} or below, in any hierarchy. */
  static List<Long> pids(String name) {
    List<Long> pids = new ArrayList<>();
    for (Path hierarchy : hierarchies()) {
      Path group = hierarchy.resolve(name);
      if (!Files.isDirectory(group)) {
        continue;
      }
      try (Stream<Path> tree = Files.walk(group)) {
        for (Path procs : tree.filter(p -> p.endsWith("cgroup.procs")).toList()) {
          Files.readAllLines(procs).stream().map(Long::parseLong).forEach(pids::add);
        }
      } catch (IOException | UncheckedIOException e) {
        // The group went away while we read it: its processes are gone too.
      }
    }
    return pids;
  }

  /**
   * Removes cgroup {@code name} and its children in every hierarchy; returns false if one is still
   * busy (a process has not left yet).
   */
  static boolean remove(String name) {
    boolean all = true;
    for (Path hierarchy : hierarchies()) {
      Path group = hierarchy.resolve(name);
      if (!Files.isDirectory(group)) {
        continue;
      }
      // cgroupfs directories are removed with rmdir, deepest first; their files go with them.
      try (Stream<Path> tree = Files.walk(group)) {
        for (Path dir :
            tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(dir);
        }
      } catch (IOException | UncheckedIOException e) {
        all = false; // EBUSY while a process is still in the group
      }
    }
    return all;
  }
}
