package io.pulley.agent.apply.python;

import io.pulley.agent.files.AtomicWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Copies a complete virtual environment to a new path and rewrites the old absolute path where a
 * venv records it (the scripts in {@code bin/} and {@code pyvenv.cfg}), so the copy runs from its
 * new place. Files are copied, never hard-linked, so the source release stays untouched. The copy
 * is made in a temporary directory that is renamed into place afterwards, so it is written for the
 * place it will have; the source's {@link VenvMarker} is never copied: only the apply that finishes
 * an environment says it is complete. Stateless.
 */
final class VenvCopier {
  private static final int BINARY_PROBE = 8192;

  private VenvCopier() {}

  /**
   * Copies {@code from} to {@code to} (which must not exist), all but its marker, then rewrites
   * paths in the copy for {@code place}, where it will be renamed to.
   */
  static void copy(Path from, Path to, Path place) throws IOException {
    Path marker = from.resolve(VenvMarker.FILE_NAME);
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Path target = to.resolve(from.relativize(dir).toString());
            Files.createDirectory(target);
            Files.setPosixFilePermissions(
                target, Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Path target = to.resolve(from.relativize(file).toString());
            if (file.equals(marker)) {
              return FileVisitResult.CONTINUE;
            }
            if (attrs.isSymbolicLink()) {
              Files.createSymbolicLink(target, relink(Files.readSymbolicLink(file), from, place));
            } else {
              Files.copy(
                  file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    rewrite(to, from.toString(), place.toString());
  }

  /** A link into the old environment points into the new one; any other link is kept. */
  private static Path relink(Path link, Path from, Path to) {
    return link.isAbsolute() && link.startsWith(from) ? to.resolve(from.relativize(link)) : link;
  }

  /** Replaces {@code oldPath} by {@code newPath} in {@code bin/*} text files and pyvenv.cfg. */
  static int rewrite(Path venv, String oldPath, String newPath) throws IOException {
    int rewritten = 0;
    List<Path> candidates;
    Path bin = venv.resolve("bin");
    try (Stream<Path> files = Files.isDirectory(bin) ? Files.list(bin) : Stream.empty()) {
      candidates = files.sorted().toList();
    }
    for (Path file :
        Stream.concat(candidates.stream(), Stream.of(venv.resolve("pyvenv.cfg"))).toList()) {
      if (rewriteFile(file, oldPath, newPath)) {
        rewritten++;
      }
    }
    return rewritten;
  }

  private static boolean rewriteFile(Path file, String oldPath, String newPath) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    byte[] bytes = Files.readAllBytes(file);
    if (isBinary(bytes)) {
      return false;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!text.contains(oldPath)) {
      return false;
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    // Replaced through a new file, never edited in place, in case the file is shared by a link.
    AtomicWriter.write(
        file,
        text.replace(oldPath, newPath).getBytes(StandardCharsets.UTF_8),
        temp -> Files.setPosixFilePermissions(temp, mode));
    return true;
  }

  private static boolean isBinary(byte[] bytes) {
    for (int i = 0; i < Math.min(bytes.length, BINARY_PROBE); i++) {
      if (bytes[i] == 0) {
        return true;
      }
    }
    return false;
  }
}
