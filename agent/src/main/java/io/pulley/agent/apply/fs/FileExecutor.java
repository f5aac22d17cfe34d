package io.pulley.agent.apply.fs;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.files.AtomicWriter;
import io.pulley.v1.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Makes a regular file hold exactly the declared content, owner, group and mode. Content is
 * replaced atomically and only when it differs, so an unchanged file keeps its mtime. Idempotent.
 */
public final class FileExecutor implements ResourceExecutor<File> {
  static final String NEW_FILE_MODE = "0644";

  private final PathGuard guard;

  public FileExecutor(PathGuard guard) {
    this.guard = guard;
  }

  @Override
  public Convergence converge(File spec, ApplyContext context) throws IOException {
    Attributes.Wanted wanted =
        new Attributes.Wanted(spec.getOwner(), spec.getGroup(), spec.getMode());
    Optional<String> refused = Attributes.refusal(guard, spec.getPath(), wanted);
    if (refused.isPresent()) {
      return Convergence.failed(refused.get());
    }
    Path file = Path.of(spec.getPath());
    if (!Files.isDirectory(file.getParent())) {
      return Convergence.failed(
          "parent directory " + file.getParent() + " does not exist (declare it first)");
    }
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      return Convergence.failed(file + " is a directory");
    }
    byte[] content = spec.getContent().getBytes(StandardCharsets.UTF_8);
    boolean regular = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    if (!regular) {
      write(
          file,
          content,
          new Attributes.Wanted(wanted.owner(), wanted.group(), modeOrDefault(wanted)));
      return Convergence.changed("created (" + content.length + " bytes)");
    }
    byte[] current = Files.readAllBytes(file);
    if (Arrays.equals(current, content)) {
      return Convergence.of(Attributes.apply(file, wanted), "file is as declared");
    }
    List<String> changes = new ArrayList<>();
    changes.add("content changed (" + current.length + " bytes → " + content.length + " bytes)");
    changes.addAll(Attributes.diff(file, wanted));
    write(file, content, keepExisting(file, wanted));
    return Convergence.changed(String.join(", ", changes));
  }

  private static String modeOrDefault(Attributes.Wanted wanted) {
    return wanted.mode().isEmpty() ? NEW_FILE_MODE : wanted.mode();
  }

  /** The replacement inherits what the spec leaves open from the file it replaces. */
  private static Attributes.Wanted keepExisting(Path file, Attributes.Wanted wanted)
      throws IOException {
    PosixFileAttributes now =
        Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return new Attributes.Wanted(
        wanted.owner().isEmpty() ? now.owner().getName() : wanted.owner(),
        wanted.group().isEmpty() ? now.group().getName() : wanted.group(),
        wanted.mode().isEmpty() ? Mode.format(now.permissions()) : wanted.mode());
  }

  private static void write(Path file, byte[] content, Attributes.Wanted attributes)
      throws IOException {
    AtomicWriter.write(file, content, temp -> Attributes.apply(temp, attributes));
  }
}
