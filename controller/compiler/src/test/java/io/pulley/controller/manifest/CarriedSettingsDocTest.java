package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The user's page lists every setting a promotion carries, so the docs cannot fall behind. */
class CarriedSettingsDocTest {
  private static final Path PAGE = Path.of("docs", "rollouts.md");

  @Test
  void rolloutsPage_namesEveryCarriedSetting() throws IOException {
    String page = Files.readString(page(), StandardCharsets.UTF_8);
    String table =
        page.substring(page.indexOf("| carried from staging |"), page.indexOf("Everything else"));

    for (String field : CodeSettings.CARRIED) {
      String last = field.substring(field.lastIndexOf('.') + 1);
      assertThat(table).as(field).containsAnyOf("`" + field + "`", "`" + last + "`");
    }
  }

  /** Tests run in the module's folder; the docs are at the top of the repository. */
  private static Path page() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(PAGE))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a parent folder holding %s", PAGE).isNotNull();
    return dir.resolve(PAGE);
  }
}
