package io.pulley.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The layout rules every module's main code keeps, checked by a test in each module: no package
 * imports another that imports it back, and no source file is longer than a reader takes in.
 */
public final class LayoutRules {
  /** Longer files hide more than one idea; split them (STYLE.md: most files 100–300 lines). */
  public static final int MAX_LINES = 350;

  private LayoutRules() {}

  /**
   * Fails naming the cycle if two packages of the main classes in {@code classes} (a module's
   * target/classes) depend on each other, directly or through others.
   */
  public static void assertNoPackageCycles(Path classes) {
    JavaClasses imported = importMain(classes);
    // One slice per package, a module's root package included: "io.pulley.(**)" captures
    // "agent.poll" and "agent" alike.
    slices().matching("io.pulley.(**)").should().beFreeOfCycles().check(imported);
  }

  /**
   * Fails naming the caller if main code uses {@code java.util.regex}, directly or through {@code
   * String.matches}, {@code replaceAll}, {@code replaceFirst} or {@code split}: its backtracking
   * engine takes super-linear time on some patterns, and much of what we match comes from the
   * network. RE2 ({@code com.google.re2j}) matches in time linear in the input.
   */
  public static void assertNoBacktrackingRegex(Path classes) {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("java.util.regex")
        .orShould()
        .callMethod(String.class, "matches", String.class)
        .orShould()
        .callMethod(String.class, "replaceAll", String.class, String.class)
        .orShould()
        .callMethod(String.class, "replaceFirst", String.class, String.class)
        .orShould()
        .callMethod(String.class, "split", String.class)
        .orShould()
        .callMethod(String.class, "split", String.class, int.class)
        .because("java.util.regex backtracks; use com.google.re2j, which runs in linear time")
        .check(importMain(classes));
  }

  private static JavaClasses importMain(Path classes) {
    if (!Files.isDirectory(classes)) {
      throw new AssertionError(classes.toAbsolutePath() + " is not a class folder");
    }
    JavaClasses imported = new ClassFileImporter().importPath(classes);
    if (imported.isEmpty()) {
      throw new AssertionError("no classes found in " + classes.toAbsolutePath());
    }
    return imported;
  }

  /**
   * Fails listing every Java file under {@code sourceRoot} with more than {@link #MAX_LINES} lines.
   */
  public static void assertFilesAtMostMaxLines(Path sourceRoot) {
    if (!Files.isDirectory(sourceRoot)) {
      throw new AssertionError(sourceRoot.toAbsolutePath() + " is not a source folder");
    }
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      List<String> tooLong =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> lines(f) > MAX_LINES)
              .map(f -> sourceRoot.relativize(f) + " (" + lines(f) + " lines)")
              .sorted()
              .toList();
      if (!tooLong.isEmpty()) {
        throw new AssertionError(
            "files over " + MAX_LINES + " lines in " + sourceRoot + ": " + tooLong);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long lines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
