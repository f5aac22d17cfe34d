package io.pulley.agent.facts;

import io.pulley.v1.lite.HostFacts;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers what the agent tells the controller about its host. Reads are cheap (a few small /etc and
 * /proc files), so facts are refreshed on every poll. Stateless and thread-safe.
 */
public final class HostFactsCollector {
  private final Path osRelease;
  private final Path meminfo;
  private final Path hostnameFile;
  private final HostPython python;

  public HostFactsCollector() {
    this(
        Path.of("/etc/os-release"),
        Path.of("/proc/meminfo"),
        Path.of("/proc/sys/kernel/hostname"),
        new HostPython());
  }

  /** For tests: the files read instead of the system's. */
  public HostFactsCollector(Path osRelease, Path meminfo, Path hostnameFile, HostPython python) {
    this.osRelease = osRelease;
    this.meminfo = meminfo;
    this.hostnameFile = hostnameFile;
    this.python = python;
  }

  public HostFacts collect(Map<String, String> labels) {
    List<String> release = lines(osRelease);
    return HostFacts.newBuilder()
        .setOsId(osReleaseValue(release, "ID").orElse(""))
        .setOsVersion(osReleaseValue(release, "VERSION_ID").orElse(""))
        .setKernel(System.getProperty("os.version", ""))
        .setArch(System.getProperty("os.arch", ""))
        .setHostname(hostname())
        .setCpuCount(Runtime.getRuntime().availableProcessors())
        .setMemoryBytes(memTotalBytes(lines(meminfo)))
        .putAllLabels(labels)
        .setAgentVersion(agentVersion())
        .setPython(python.resolve().map(Path::toString).orElse(""))
        .build();
  }

  /** The host name as the kernel knows it, else as the resolver does. */
  public String hostname() {
    List<String> name = lines(hostnameFile);
    if (!name.isEmpty() && !name.get(0).isBlank()) {
      return name.get(0).strip();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** The jar manifest's Implementation-Version, or "dev" when run from classes. */
  public static String agentVersion() {
    String v = HostFactsCollector.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  static Optional<String> osReleaseValue(List<String> lines, String key) {
    for (String line : lines) {
      if (line.startsWith(key + "=")) {
        String v = line.substring(key.length() + 1).strip();
        if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
          v = v.substring(1, v.length() - 1);
        }
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  static long memTotalBytes(List<String> lines) {
    for (String line : lines) {
      if (line.startsWith("MemTotal:")) {
        String value = line.substring("MemTotal:".length()).strip();
        int blank = 0;
        while (blank < value.length() && !Character.isWhitespace(value.charAt(blank))) {
          blank++;
        }
        try {
          return Long.parseLong(value.substring(0, blank)) * 1024; // /proc/meminfo counts in KiB
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }
}
