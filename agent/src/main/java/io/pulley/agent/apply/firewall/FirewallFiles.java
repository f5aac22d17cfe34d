package io.pulley.agent.apply.firewall;

import io.pulley.agent.files.AtomicWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the firewall keeps in its root-only directory ({@code /etc/pulley/firewall}): each
 * application's confirmed part ({@code parts/NAME.nft}), the host's confirmed ruleset ({@code
 * ruleset.nft}, which pulley-firewall.service loads at boot) and how nftables listed it once loaded
 * ({@code listed.nft}, to see when someone changed it), and the two files of a change under way
 * ({@code candidate.nft}, {@code revert.nft}). Used from the apply thread only.
 */
final class FirewallFiles {
  static final Path DEFAULT_DIR = Path.of("/etc/pulley/firewall");
  private static final String SUFFIX = ".nft";

  private final Path dir;

  FirewallFiles(Path dir) {
    this.dir = dir;
  }

  Path candidate() {
    return dir.resolve("candidate" + SUFFIX);
  }

  Path revert() {
    return dir.resolve("revert" + SUFFIX);
  }

  /** The confirmed parts with {@code mine} in place of its confirmed version, ordered by name. */
  List<FirewallPart> partsWith(FirewallPart mine) throws IOException {
    List<FirewallPart> parts = new ArrayList<>();
    Path partsDir = dir.resolve("parts");
    if (Files.isDirectory(partsDir)) {
      try (Stream<Path> files = Files.list(partsDir)) {
        for (Path file : files.sorted().toList()) {
          String fileName = file.getFileName().toString();
          if (!fileName.endsWith(SUFFIX) || !Files.isRegularFile(file)) {
            continue; // a temporary file of a write cut short
          }
          String name = fileName.substring(0, fileName.length() - SUFFIX.length());
          if (!name.equals(mine.name())) {
            parts.add(new FirewallPart(name, Files.readString(file, StandardCharsets.UTF_8)));
          }
        }
      }
    }
    parts.add(mine);
    parts.sort((a, b) -> a.name().compareTo(b.name()));
    return parts;
  }

  Optional<String> part(String name) throws IOException {
    return read(dir.resolve("parts").resolve(name + SUFFIX));
  }

  Optional<String> ruleset() throws IOException {
    return read(confirmedPath());
  }

  /** The confirmed ruleset, which pulley-firewall.service loads at boot. */
  Path confirmedPath() {
    return dir.resolve("ruleset" + SUFFIX);
  }

  Optional<String> listed() throws IOException {
    return read(listedPath());
  }

  /** Writes {@code content} where a change under way keeps it ({@link #candidate()} or revert). */
  void writeWorking(Path file, String content) throws IOException {
    ensureDirs();
    AtomicWriter.write(file, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Makes the candidate the confirmed ruleset, with the part it was made for and its listing. */
  void commit(FirewallPart mine, String ruleset, String listing) throws IOException {
    writePart(mine);
    AtomicWriter.write(confirmedPath(), ruleset.getBytes(StandardCharsets.UTF_8));
    AtomicWriter.write(listedPath(), listing.getBytes(StandardCharsets.UTF_8));
    deleteWorking();
  }

  /**
   * Records {@code mine} with the firewall off: no confirmed ruleset, so pulley-firewall.service
   * loads nothing at boot.
   */
  void commitOff(FirewallPart mine) throws IOException {
    writePart(mine);
    Files.deleteIfExists(confirmedPath());
    Files.deleteIfExists(listedPath());
    deleteWorking();
  }

  private void writePart(FirewallPart mine) throws IOException {
    ensureDirs();
    AtomicWriter.write(
        dir.resolve("parts").resolve(mine.name() + SUFFIX),
        mine.text().getBytes(StandardCharsets.UTF_8));
  }

  private void deleteWorking() throws IOException {
    Files.deleteIfExists(candidate());
    Files.deleteIfExists(revert());
  }

  private Path listedPath() {
    return dir.resolve("listed" + SUFFIX);
  }

  private void ensureDirs() throws IOException {
    for (Path each : List.of(dir, dir.resolve("parts"))) {
      if (!Files.isDirectory(each)) {
        Files.createDirectories(each);
        Files.setPosixFilePermissions(each, PosixFilePermissions.fromString("rwx------"));
      }
    }
  }

  private static Optional<String> read(Path file) throws IOException {
    return Files.isRegularFile(file)
        ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
        : Optional.empty();
  }
}
