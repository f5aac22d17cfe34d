package io.pulley.agent.apply.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectInstallTest {
  @TempDir Path dir;

  @Test
  void installable_onlyWithPackagingMetadata() throws IOException {
    assertThat(ProjectInstall.installable(dir)).isFalse();
    Files.writeString(dir.resolve("manage.py"), "");
    assertThat(ProjectInstall.installable(dir)).isFalse();
    Files.writeString(dir.resolve("setup.cfg"), "");
    assertThat(ProjectInstall.installable(dir)).isTrue();
  }

  @Test
  void hint_namesTheDebianPackageOfAMissingBuildBackend() {
    String pip =
        "  error: subprocess-exited-with-error\n"
            + "pip._vendor.pyproject_hooks._impl.BackendUnavailable: Cannot import"
            + " 'flit_core.buildapi'\n";

    assertThat(ProjectInstall.hint(pip))
        .hasValueSatisfying(
            hint ->
                assertThat(hint)
                    .contains("build backend flit_core is not installed")
                    .contains("add flit to stack.packages"));
  }

  @Test
  void hint_readsDebian12sPipToo_whichNamesTheModuleAfterATraceback() {
    String pip =
        "pip._vendor.pyproject_hooks._impl.BackendUnavailable: Traceback (most recent call"
            + " last):\n  File \"<frozen importlib._bootstrap>\", line 1176\n"
            + "ModuleNotFoundError: No module named 'hatchling'\n";

    assertThat(ProjectInstall.hint(pip))
        .hasValueSatisfying(hint -> assertThat(hint).contains("add python3-hatchling"));
  }

  @Test
  void hint_forAnUnknownBackend_saysWhatToLookFor_andNothingForOtherFailures() {
    assertThat(ProjectInstall.hint("BackendUnavailable: Cannot import 'whey.build'"))
        .hasValueSatisfying(
            hint -> assertThat(hint).contains("the Debian package that provides whey"));
    assertThat(ProjectInstall.hint("ERROR: No matching distribution found for flask")).isEmpty();
    assertThat(ProjectInstall.hint("BackendUnavailable: Cannot import ''")).isEmpty();
    assertThat(ProjectInstall.hint("ModuleNotFoundError: No module named 'flask'")).isEmpty();
  }
}
