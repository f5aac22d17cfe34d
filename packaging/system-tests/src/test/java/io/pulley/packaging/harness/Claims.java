package io.pulley.packaging.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The claim files that say which process uses which test address (or holds the network open).
 * Creating a claim is atomic ({@code O_EXCL}), so JVMs and {@code pristine.sh} running at once
 * never get the same address, without a lock they would all have to honour. Thread-safe.
 */
final class Claims {

  /** A claim file seen without content yet is its creator's, still writing, for this long. */
  private static final Duration WRITE_GRACE = Duration.ofSeconds(60);

  private final Path dir;

  Claims(Path dir) {
    this.dir = dir;
  }

  /** One claim file: its key (an address or {@code hold-…}) and what it says. */
  record Claim(String key, Optional<String> name, Optional<Owner> owner, Instant modified) {

    /** Live while its owner runs; a claim still being written counts as live. */
    boolean isLive(Instant now) {
      return owner.map(Owner::isAlive).orElse(modified.plus(WRITE_GRACE).isAfter(now));
    }
  }

  /** Creates claim {@code key}; false if it exists already. */
  boolean create(String key, String name, Owner owner) {
    try {
      Files.createDirectories(dir);
      try (OutputStream out =
          Files.newOutputStream(dir.resolve(key), StandardOpenOption.CREATE_NEW)) {
        String text =
            "name="
                + name
                + "\nowner_pid="
                + owner.pid()
                + "\nowner_start="
                + owner.startTicks()
                + "\n";
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void delete(String key) {
    try {
      Files.deleteIfExists(dir.resolve(key));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Claim> all() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Claim> claims = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        read(file).ifPresent(claims::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return claims;
  }

  private static Optional<Claim> read(Path file) throws IOException {
    try {
      Instant modified = Files.getLastModifiedTime(file).toInstant();
      Map<String, String> fields = new HashMap<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          fields.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      return Optional.of(
          new Claim(
              file.getFileName().toString(),
              Optional.ofNullable(fields.get("name")),
              owner(fields),
              modified));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static Optional<Owner> owner(Map<String, String> fields) {
    try {
      return Optional.of(
          new Owner(
              Long.parseLong(fields.get("owner_pid")), Long.parseLong(fields.get("owner_start"))));
    } catch (NumberFormatException e) {
      return Optional.empty(); // absent or half-written
    }
  }
}
