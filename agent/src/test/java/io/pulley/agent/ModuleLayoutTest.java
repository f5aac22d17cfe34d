package io.pulley.agent;

import io.pulley.testing.LayoutRules;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** This module's main code keeps the layout rules of {@link LayoutRules}. */
class ModuleLayoutTest {
  @Test
  void noPackageCycle() {
    LayoutRules.assertNoPackageCycles(Path.of("target/classes"));
  }

  @Test
  void noSourceFileOverTheLimit() {
    LayoutRules.assertFilesAtMostMaxLines(Path.of("src/main/java"));
  }
}
