package io.pulley.agent.apply.fs;

import com.google.re2j.Pattern;
import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.files.AtomicWriter;
import io.pulley.v1.lite.File;
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
 * replaced atomically and only when it differs, so an unchanged file keeps its mtime. Sensitive
 * content gets the application's secrets filled in and never appears in a reason or a drift line. A
 * file with a {@code validate} command is put back as it was when the command rejects it. What was
 * written is remembered (as a digest) so that edits made by hand are reported as drift and undone.
 * Idempotent; one apply at a time.
 */
public final class FileExecutor implements ResourceExecutor<File> {
  private static final Pattern NEWLINE = Pattern.compile("\n");
  static final String NEW_FILE_MODE = "0644";
  static final String SENSITIVE_FILE_MODE = "0600";

  private final PathGuard guard;
  private final FileValidator validator = new FileValidator();

  public FileExecutor(PathGuard guard) {
    this.guard = guard;
  }

  /** What the executor wrote last time: the content's digest and the declared attributes. */
  private record Written(String digest, String attributes) {
    static Optional<Written> parse(String text) {
      String[] lines = NEWLINE.split(text, -1);
      return lines.length < 2 ? Optional.empty() : Optional.of(new Written(lines[0], lines[1]));
    }

    String format() {
      return digest + "\n" + attributes;
    }
  }

  @Override
  public Convergence converge(File spec, ApplyContext context) throws IOException {
    Attributes.Wanted wanted =
        new Attributes.Wanted(spec.getOwner(), spec.getGroup(), declaredMode(spec));
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
    if (!spec.getOnlyIfExists().isEmpty() && !Files.exists(Path.of(spec.getOnlyIfExists()))) {
      return absentUntil(spec.getOnlyIfExists(), file);
    }
    String text = spec.getContent();
    if (spec.getSensitive()) {
      SecretTemplate.Rendered rendered = SecretTemplate.render(text, context);
      if (rendered.missing().isPresent()) {
        return Convergence.failed(
            "secret '" + rendered.missing().get() + "' is not among the application's secrets");
      }
      if (rendered.problem().isPresent()) {
        return Convergence.failed(rendered.problem().get());
      }
      text = rendered.content();
    }
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    StateMemory memory = new StateMemory(context.stateDir());
    String key = "file:" + file;
    Written now =
        new Written(
            StateMemory.sha256(content),
            wanted.owner() + ":" + wanted.group() + ":" + wanted.mode());
    Optional<Written> last = memory.recall(key).flatMap(Written::parse);
    boolean sameContent = last.map(w -> w.digest().equals(now.digest())).orElse(false);
    Convergence c =
        Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
            ? replace(spec, file, content, wanted, last, now, context)
            : create(spec, file, content, wanted, last.isPresent() && sameContent, context);
    if (!c.failed()) {
      memory.remember(key, now.format());
    }
    return c;
  }

  /** A conditional file whose condition does not hold: removed if it is there. */
  private static Convergence absentUntil(String condition, Path file) throws IOException {
    String waiting = "absent until " + condition + " exists";
    return Files.deleteIfExists(file)
        ? Convergence.changed("removed: " + waiting)
        : Convergence.unchanged(waiting);
  }

  private Convergence create(
      File spec,
      Path file,
      byte[] content,
      Attributes.Wanted wanted,
      boolean writtenBefore,
      ApplyContext context)
      throws IOException {
    write(
        file,
        content,
        new Attributes.Wanted(wanted.owner(), wanted.group(), modeOrDefault(wanted)));
    Optional<FileValidator.Rejection> rejected = validator.check(spec.getValidateList(), context);
    if (rejected.isPresent()) {
      Files.deleteIfExists(file);
      return rejected.get().failure("the new file was removed");
    }
    Convergence c = Convergence.changed("created (" + content.length + " bytes)");
    return writtenBefore ? c.withDrift("file was deleted outside Pulley") : c;
  }

  private Convergence replace(
      File spec,
      Path file,
      byte[] content,
      Attributes.Wanted wanted,
      Optional<Written> last,
      Written now,
      ApplyContext context)
      throws IOException {
    byte[] current = Files.readAllBytes(file);
    if (Arrays.equals(current, content)) {
      List<String> changes = Attributes.apply(file, wanted);
      Convergence c = Convergence.of(changes, "file is as declared");
      boolean sameAttributes = last.map(w -> w.attributes().equals(now.attributes())).orElse(false);
      return sameAttributes && !changes.isEmpty()
          ? c.withDrift("changed outside Pulley: " + String.join(", ", changes))
          : c;
    }
    List<String> changes = new ArrayList<>();
    changes.add("content changed (" + current.length + " bytes → " + content.length + " bytes)");
    changes.addAll(Attributes.diff(file, wanted));
    Attributes.Wanted before = keepExisting(file, new Attributes.Wanted("", "", ""));
    write(file, content, keepExisting(file, wanted));
    Optional<FileValidator.Rejection> rejected = validator.check(spec.getValidateList(), context);
    if (rejected.isPresent()) {
      write(file, current, before);
      return rejected.get().failure("the previous content was put back");
    }
    Convergence c = Convergence.changed(String.join(", ", changes));
    boolean sameContent = last.map(w -> w.digest().equals(now.digest())).orElse(false);
    return sameContent ? c.withDrift(drift(spec, content, current)) : c;
  }

  /** What an edit by hand did; for sensitive files only the sizes, never a line of content. */
  private static String drift(File spec, byte[] written, byte[] found) {
    if (spec.getSensitive()) {
      return "content edited outside Pulley, "
          + written.length
          + " bytes → "
          + found.length
          + " bytes";
    }
    return "content edited outside Pulley, "
        + LineDiff.of(
            new String(written, StandardCharsets.UTF_8), new String(found, StandardCharsets.UTF_8));
  }

  /** A secret is never world-readable by default: sensitive content without a mode gets 0600. */
  private static String declaredMode(File spec) {
    return spec.getMode().isEmpty() && spec.getSensitive() ? SENSITIVE_FILE_MODE : spec.getMode();
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
