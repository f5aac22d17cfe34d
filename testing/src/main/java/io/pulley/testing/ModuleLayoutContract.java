package io.pulley.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The layout rules as tests: a module's {@code ModuleLayoutTest} extends this, and the build fails
 * on a package cycle in the module's main classes, a main class using java.util.regex, or a main
 * source file over the limit. Surefire runs tests in the module's folder, so the paths are the
 * module's own.
 */
public abstract class ModuleLayoutContract {
  @Test
  public void noPackageCycle() {
    LayoutRules.assertNoPackageCycles(Path.of("target/classes"));
  }

  @Test
  public void noBacktrackingRegex() {
    LayoutRules.assertNoBacktrackingRegex(Path.of("target/classes"));
  }

  @Test
  public void noSourceFileOverTheLimit() {
    LayoutRules.assertFilesAtMostMaxLines(Path.of("src/main/java"));
  }
}
