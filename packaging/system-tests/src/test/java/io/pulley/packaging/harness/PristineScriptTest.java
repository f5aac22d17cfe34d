package io.pulley.packaging.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code harness/pristine.sh} follows the same conventions as the Java harness. */
class PristineScriptTest {

  /** Surefire runs in the module directory. */
  private static final Path SCRIPT = Path.of("harness/pristine.sh").toAbsolutePath();

  private final DebianImage image = DebianImage.trixie();

  @Test
  void key_matchesTheJavaRecipe_forEachRelease() {
    assertThat(script("key").orThrow().stdout().strip()).isEqualTo(DebianImage.trixie().key());
    assertThat(script("--debian", "13", "key").orThrow().stdout().strip())
        .isEqualTo(DebianImage.trixie().key());
    assertThat(script("--debian", "12", "key").orThrow().stdout().strip())
        .isEqualTo(DebianImage.bookworm().key());
    assertThat(DebianImage.bookworm().key()).isNotEqualTo(DebianImage.trixie().key());
  }

  @Test
  void unknownRelease_isRefusedByName() {
    ExecResult result = script("--debian", "11", "key");
    assertThat(result.ok()).isFalse();
    assertThat(result.stderr()).contains("unknown Debian release '11'");
  }

  @Test
  void bootExecStop_serverSurvivesJavaSweepAndLeavesNothing() {
    image.rootfs();
    String suffix = "script-" + ProcessHandle.current().pid();
    String name = Sweeper.PREFIX + suffix;
    try {
      String address = script("boot", suffix).orThrow().stdout().strip();
      assertThat(address).startsWith(TestNetwork.SUBNET_PREFIX);

      new Sweeper(image.dirs()).sweep();

      assertThat(script("exec", suffix, "hostname").orThrow().stdout().strip()).isEqualTo(name);
      assertThat(script("exec", suffix, "cat", AptProxy.APT_CONF).orThrow().stdout())
          .startsWith("Acquire::http::Proxy \"http://" + TestNetwork.HOST_ADDRESS + ":");
    } finally {
      script("stop", suffix).orThrow();
    }
    assertThat(NspawnProcesses.forMachine(name)).isEmpty();
    assertThat(HostCommand.run(Duration.ofSeconds(10), List.of("ip", "netns", "list")).stdout())
        .doesNotContain(name);
    assertThat(image.dirs().serverRoot(name)).doesNotExist();
    assertThat(ProcessHandle.allProcesses())
        .noneMatch(p -> p.info().commandLine().orElse("").contains("/" + name + "/"));
  }

  private ExecResult script(String... args) {
    List<String> argv = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    argv.addAll(List.of(args));
    return HostCommand.run(Duration.ofMinutes(5), argv);
  }
}
