package io.pulley.controller.manifest;

import com.google.protobuf.TextFormat;
import io.pulley.controller.stack.HandoverWords;
import io.pulley.v1.Manifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.HistogramDiff;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.jspecify.annotations.Nullable;

/** Shows an admin what an apply changes, as a unified diff of two manifests. */
public final class ManifestDiff {

  private static final DiffAlgorithm ALGORITHM = new HistogramDiff();
  // Non-ASCII text stays readable in the diff instead of turning into octal escapes.
  private static final TextFormat.Printer PRINTER = TextFormat.printer().escapingNonAscii(false);

  private ManifestDiff() {}

  /**
   * Unified diff (three lines of context) of the two manifests rendered as protobuf text format,
   * which prints map entries sorted by key; empty when they render the same. A null {@code
   * previous} diffs against nothing, so every line is an addition. A revision stored before the
   * enum HandoverMode shows its handover as the enum, so that only real changes show.
   */
  public static String between(
      @Nullable Manifest previous, Manifest next, String previousName, String nextName) {
    RawText before = render(previous);
    RawText after = render(next);
    EditList edits = ALGORITHM.diff(RawTextComparator.DEFAULT, before, after);
    if (edits.isEmpty()) {
      return "";
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DiffFormatter formatter = new DiffFormatter(out)) {
      formatter.setContext(3);
      out.writeBytes(
          ("--- " + previousName + "\n+++ " + nextName + "\n").getBytes(StandardCharsets.UTF_8));
      formatter.format(edits, before, after);
      formatter.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static RawText render(@Nullable Manifest manifest) {
    String text = manifest == null ? "" : PRINTER.printToString(HandoverWords.withMode(manifest));
    return new RawText(text.getBytes(StandardCharsets.UTF_8));
  }
}
