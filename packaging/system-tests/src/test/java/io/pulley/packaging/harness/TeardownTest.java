package io.pulley.packaging.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeardownTest {

  private final DebianImage image = DebianImage.bookworm();

  @Test
  void close_leavesNoNamespaceVethMountCgroupProcessOrCopy() throws IOException {
    PristineServer server = PristineServer.boot(image);
    Traces traces = Traces.of(server, image.dirs());
    assertThat(traces.netnsExists()).isTrue();
    assertThat(traces.vethExists()).isTrue();

    server.close();
    server.close(); // idempotent

    traces.assertGone();
  }

  @Test
  void sweep_removesServerWhoseOwnerDied() throws IOException, InterruptedException {
    PristineServer server = PristineServer.boot(image);
    Traces traces = Traces.of(server, image.dirs());
    handClaimToDeadOwner(server);

    new Sweeper(image.dirs()).sweep();

    traces.assertGone();
    server.close(); // nothing left to do, and no error
  }

  @Test
  void sweep_leavesLiveServersAlone() {
    try (PristineServer server = PristineServer.boot(image)) {
      new Sweeper(image.dirs()).sweep();

      assertThat(server.execOrThrow("systemctl", "is-system-running").stdout().strip())
          .isIn("running", "degraded");
    }
  }

  @Test
  void boot_pastTimeout_failsWithConsoleAndLeavesNothing() throws IOException {
    String suffix = "timeout-" + ProcessHandle.current().pid();
    String name = Sweeper.PREFIX + suffix;

    assertThatThrownBy(() -> PristineServer.boot(image, suffix, Duration.ofMillis(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("did not finish within")
        .hasMessageContaining("--- console ---");

    new Traces(name, "none", image.dirs().serverRoot(name), Long.MAX_VALUE).assertGone();
  }

  /** What a JVM killed with SIGKILL leaves: a claim whose owner process no longer exists. */
  private void handClaimToDeadOwner(PristineServer server)
      throws IOException, InterruptedException {
    Process sleeper = new ProcessBuilder("sleep", "600").start();
    Owner dead = Owner.of(sleeper.pid()).orElseThrow();
    sleeper.destroyForcibly();
    sleeper.waitFor();
    Claims claims = new Claims(image.dirs().claims());
    claims.delete(server.address());
    assertThat(claims.create(server.address(), server.hostName(), dead)).isTrue();
  }

  /** Where a server leaves traces on the host. */
  record Traces(String name, String veth, Path root, long initPid) {

    static Traces of(PristineServer server, HarnessDirs dirs) {
      return new Traces(
          server.hostName(),
          TestNetwork.vethFor(server.address()),
          dirs.serverRoot(server.hostName()),
          server.initPid());
    }

    boolean netnsExists() {
      return run("ip", "netns", "list")
          .lines()
          .anyMatch(line -> line.startsWith(name + " ") || line.equals(name));
    }

    boolean vethExists() {
      return HostCommand.run(Duration.ofSeconds(10), List.of("ip", "link", "show", veth)).ok();
    }

    void assertGone() throws IOException {
      assertThat(netnsExists()).as("network namespace %s", name).isFalse();
      assertThat(vethExists()).as("veth %s", veth).isFalse();
      assertThat(run("ip", "-o", "link", "show")).as("host links").doesNotContain(name);
      assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(root.toString());
      assertThat(NspawnProcesses.forMachine(name)).isEmpty();
      assertThat(ProcessHandle.of(initPid)).isEmpty();
      assertThat(Cgroups.names(name)).isEmpty();
      assertThat(root).doesNotExist();
      assertThat(new Claims(root.getParent().resolveSibling("claims")).all())
          .noneMatch(claim -> claim.name().orElse("").equals(name));
    }

    private static String run(String... argv) {
      return HostCommand.run(Duration.ofSeconds(10), List.of(argv)).orThrow().stdout();
    }
  }
}
