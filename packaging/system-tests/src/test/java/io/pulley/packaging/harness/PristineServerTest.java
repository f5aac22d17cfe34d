package io.pulley.packaging.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** One server for the whole class: each test only reads it or adds files of its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PristineServerTest {

  private static final int SOCKET_TIMEOUT_MS = 30_000;
  private PristineServer server;

  @BeforeAll
  void boot() {
    server = PristineServer.boot(DebianImage.bookworm());
  }

  @AfterAll
  void close() {
    server.close();
  }

  @Test
  void boot_systemdIsPid1AndSystemRuns() {
    assertThat(server.execOrThrow("cat", "/proc/1/comm").stdout()).isEqualTo("systemd\n");
    assertThat(server.exec("systemctl", "is-system-running").stdout().strip())
        .isIn("running", "degraded");
    assertThat(server.execOrThrow("hostname").stdout().strip()).isEqualTo(server.hostName());
    assertThat(server.hostName()).startsWith("pulley-t-");
    assertThat(server.address()).matches("169\\.254\\.77\\.\\d+");
  }

  @Test
  void exec_returnsExitCodeAndBothOutputs() {
    ExecResult result = server.exec("sh", "-c", "echo out; echo err >&2; exit 3");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("err\n");
    assertThat(result.ok()).isFalse();
    assertThatThrownBy(result::orThrow)
        .hasMessageContaining("exited 3")
        .hasMessageContaining("err");
  }

  @Test
  void exec_pastTimeout_isKilledAndReported() {
    ExecResult result = server.exec(Duration.ofMillis(500), "sleep", "600");

    assertThat(result.timedOut()).isTrue();
    String commands = server.execOrThrow("sh", "-c", "cat /proc/[0-9]*/comm").stdout();
    assertThat(commands.lines()).doesNotContain("sleep");
  }

  @Test
  void exec_environmentIsClean() {
    String env = server.execOrThrow("env").stdout();

    assertThat(env).contains("PATH=/usr/local/sbin:").doesNotContain("MAVEN", "JAVA_HOME");
  }

  @Test
  void copyIn_createsParentsAndKeepsMode(@TempDir Path temp) throws IOException {
    Path script = temp.resolve("hello.sh");
    Files.writeString(script, "#!/bin/sh\necho copied\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));

    server.copyIn(script, "/opt/pulley-test/bin/hello.sh");

    assertThat(server.execOrThrow("stat", "-c", "%a %U", "/opt/pulley-test/bin/hello.sh").stdout())
        .isEqualTo("750 root\n");
    assertThat(server.execOrThrow("/opt/pulley-test/bin/hello.sh").stdout()).isEqualTo("copied\n");
  }

  @Test
  void copyIn_relativeOrUnnormalizedPath_isRejected(@TempDir Path temp) throws IOException {
    Path file = Files.writeString(temp.resolve("f"), "x");

    assertThatThrownBy(() -> server.copyIn(file, "etc/f")).hasMessageContaining("etc/f");
    assertThatThrownBy(() -> server.copyIn(file, "/etc/../f")).hasMessageContaining("/etc/../f");
  }

  @Test
  void journal_showsWhatAUnitPrinted() {
    server.execOrThrow(
        "systemd-run", "--unit=pulley-journal-test", "--wait", "--quiet", "echo", "hello-journal");

    assertThat(server.journal("pulley-journal-test")).contains("hello-journal");
  }

  @Test
  void server_reachesTcpServerOnHostAddress() throws IOException {
    assertReachesHost(server);
  }

  /** Its own server: a reboot would disturb the other tests, and its close is checked. */
  @Test
  void reboot_keepsFilesEmptiesRunAndTmpAndBootsAgain() throws IOException {
    DebianImage image = DebianImage.bookworm();
    PristineServer rebooted = PristineServer.boot(image);
    Path root = image.dirs().serverRoot(rebooted.hostName());
    try {
      String bootId = rebooted.execOrThrow("cat", "/proc/sys/kernel/random/boot_id").stdout();
      long firstInit = rebooted.initPid();
      rebooted.writeFile("/root/kept", "kept\n");
      rebooted.writeFile("/run/gone", "gone\n");
      rebooted.writeFile("/tmp/gone", "gone\n");
      // A server may print nothing while it runs: this line stands for what it printed.
      String earlierConsole = "printed before the reboot " + bootId;
      Files.writeString(
          image.dirs().console(rebooted.hostName()), earlierConsole, StandardOpenOption.APPEND);

      rebooted.reboot();

      assertThat(rebooted.initPid()).isNotIn(0L, firstInit);
      assertThat(ProcessHandle.of(firstInit)).isEmpty();
      assertThat(rebooted.execOrThrow("cat", "/proc/sys/kernel/random/boot_id").stdout())
          .isNotBlank()
          .isNotEqualTo(bootId);
      assertThat(rebooted.execOrThrow("cat", "/root/kept").stdout()).isEqualTo("kept\n");
      assertThat(rebooted.exec("test", "-e", "/run/gone").exitCode()).isEqualTo(1);
      assertThat(rebooted.exec("test", "-e", "/tmp/gone").exitCode()).isEqualTo(1);
      assertThat(rebooted.exec("systemctl", "is-system-running").stdout().strip())
          .isIn("running", "degraded");
      assertThat(rebooted.execOrThrow("hostname").stdout().strip()).isEqualTo(rebooted.hostName());
      assertThat(rebooted.execOrThrow("ip", "-o", "-4", "addr").stdout())
          .contains(rebooted.address() + "/");
      assertReachesHost(rebooted);
      assertThat(rebooted.console()).contains(earlierConsole);
    } finally {
      rebooted.close();
    }
    assertThat(root).doesNotExist();
    assertThat(NspawnProcesses.forMachine(rebooted.hostName())).isEmpty();
    assertThat(Cgroups.names(rebooted.hostName())).isEmpty();
  }

  /** The address and port reach bash as positional parameters, not as script text. */
  private static void assertReachesHost(PristineServer server) throws IOException {
    // The server keeps the network up anyway; the hold shows how a controller test starts.
    TestNetwork.Hold hold = TestNetwork.hold();
    try (ServerSocket listener = new ServerSocket(0, 5, TestNetwork.hostAddress())) {
      listener.setSoTimeout(SOCKET_TIMEOUT_MS);
      server.execOrThrow(
          "bash",
          "-c",
          "echo \"$3\" > \"/dev/tcp/$1/$2\"",
          "bash",
          TestNetwork.HOST_ADDRESS,
          Integer.toString(listener.getLocalPort()),
          server.hostName());

      try (Socket accepted = listener.accept()) {
        assertThat(accepted.getInetAddress().getHostAddress()).isEqualTo(server.address());
        assertThat(firstLine(accepted)).isEqualTo(server.hostName());
      }
    } finally {
      hold.close();
    }
  }

  @Test
  void host_reachesSocketActivatedServiceInServer() throws IOException {
    server.writeFile(
        "/etc/systemd/system/pulley-hello.socket", "[Socket]\nListenStream=7070\nAccept=yes\n");
    server.writeFile(
        "/etc/systemd/system/pulley-hello@.service",
        "[Service]\nExecStart=/bin/echo hello-from-server\nStandardOutput=socket\n");
    server.execOrThrow("systemctl", "daemon-reload");
    server.execOrThrow("systemctl", "start", "pulley-hello.socket");

    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.address(), 7070), SOCKET_TIMEOUT_MS);
      socket.setSoTimeout(SOCKET_TIMEOUT_MS);
      assertThat(firstLine(socket)).isEqualTo("hello-from-server");
    }
  }

  @Test
  void server_hasNoRouteOrResolverBeyondTheTestNetwork() {
    assertThat(server.execOrThrow("ip", "route").stdout())
        .doesNotContain("default")
        .contains("169.254.77.0/24");
    assertThat(server.execOrThrow("cat", "/etc/resolv.conf").stdout()).doesNotContain("nameserver");
    assertThat(server.execOrThrow("getent", "hosts", "pulley-host").stdout())
        .startsWith(TestNetwork.HOST_ADDRESS);
  }

  static String firstLine(Socket socket) throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    return reader.readLine();
  }
}
