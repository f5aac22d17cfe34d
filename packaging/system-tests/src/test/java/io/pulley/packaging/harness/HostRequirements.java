package io.pulley.packaging.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What this machine needs for pristine servers, checked once up front so that a missing tool is one
 * clear message instead of a failed command deep inside a boot.
 */
final class HostRequirements {
  /** Program → the Debian package that provides it. */
  private static final Map<String, String> PROGRAMS =
      Map.of(
          "debootstrap", "debootstrap",
          "systemd-nspawn", "systemd-container",
          "ip", "iproute2",
          "nsenter", "util-linux");

  private static volatile boolean checked;

  private HostRequirements() {}

  static void check() {
    if (checked) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> program : PROGRAMS.entrySet()) {
      if (!onPath(program.getKey())) {
        missing.add(program.getValue());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "pristine servers need these packages on this machine: apt-get install "
              + String.join(" ", missing.stream().sorted().distinct().toList()));
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException(
          "pristine servers need root (containers, network namespaces); run the build as root");
    }
    checked = true;
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
