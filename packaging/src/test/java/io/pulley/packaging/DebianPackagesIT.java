package io.pulley.packaging;

import static io.pulley.packaging.BuiltPackages.AGENT;
import static io.pulley.packaging.BuiltPackages.AGENT_BUNDLED;
import static io.pulley.packaging.BuiltPackages.CONTROLLER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The three .deb files as dpkg and lintian see them (BundledAgentRuntimeIT: its runtime). */
class DebianPackagesIT {
  private static final String JAVA_DEPENDS =
      "default-jre-headless (>= 2:1.17) | java17-runtime-headless";
  private static final List<String> SCRIPTS = List.of("postinst", "prerm", "postrm");

  @TempDir Path tmp;

  @Test
  void agentDeb_shipsJarLauncherConfigUnitStateDocsAndOverrides() {
    assertThat(contents(AGENT))
        .contains(
            "-rw-r--r-- root/root ./usr/share/pulley/pulley-agent.jar",
            "-rw-r--r-- root/root ./usr/share/pulley/pulley-agent-apply.jar",
            "-rwxr-xr-x root/root ./usr/bin/pulley-agent",
            "-rw-r--r-- root/root ./etc/pulley/agent.yaml",
            "-rw-r--r-- root/root ./lib/systemd/system/pulley-agent.service",
            "drwx------ root/root ./var/lib/pulley/agent/",
            "-rw-r--r-- root/root ./usr/share/doc/pulley-agent/copyright",
            "-rw-r--r-- root/root ./usr/share/doc/pulley-agent/changelog.gz",
            "-rw-r--r-- root/root ./usr/share/man/man8/pulley-agent.8.gz",
            "-rw-r--r-- root/root ./usr/share/lintian/overrides/pulley-agent");
  }

  @Test
  void bundledAgentDeb_shipsTheSameFilesAsTheAgent_plusItsRuntime() {
    assertThat(contents(AGENT_BUNDLED))
        .contains(
            "-rw-r--r-- root/root ./usr/share/pulley/pulley-agent.jar",
            "-rw-r--r-- root/root ./usr/share/pulley/pulley-agent-apply.jar",
            "-rwxr-xr-x root/root ./usr/bin/pulley-agent",
            "-rw-r--r-- root/root ./etc/pulley/agent.yaml",
            "-rw-r--r-- root/root ./lib/systemd/system/pulley-agent.service",
            "drwx------ root/root ./var/lib/pulley/agent/",
            "-rw-r--r-- root/root ./usr/share/doc/pulley-agent-bundled/copyright",
            "-rw-r--r-- root/root ./usr/share/doc/pulley-agent-bundled/changelog.gz",
            "-rw-r--r-- root/root ./usr/share/man/man8/pulley-agent.8.gz",
            "-rw-r--r-- root/root ./usr/share/lintian/overrides/pulley-agent-bundled",
            "-rwxr-xr-x root/root ./usr/lib/pulley/agent-runtime/bin/java",
            // Every child process (apt-get, git, the stack's commands) starts through it.
            "-rwxr-xr-x root/root ./usr/lib/pulley/agent-runtime/lib/jspawnhelper",
            "-rw-r--r-- root/root ./usr/lib/pulley/agent-runtime/lib/server/libjvm.so",
            "-rw-r--r-- root/root ./usr/lib/pulley/agent-runtime/lib/modules",
            "-rw-r--r-- root/root ./usr/lib/pulley/agent-runtime/legal/java.base/LICENSE");
  }

  @Test
  void agentDebs_replaceEachOther_andTheBundledOneStandsInForTheAgent() {
    Run agent = fields(AGENT, "Conflicts", "Replaces", "Provides");
    Run bundled = fields(AGENT_BUNDLED, "Depends", "Conflicts", "Replaces", "Provides");

    // Conflicts + Replaces both ways: apt swaps one for the other and hands over its files.
    assertThat(agent.output())
        .isEqualTo("Conflicts: %1$s%nReplaces: %1$s%n".formatted(AGENT_BUNDLED));
    assertThat(bundled.output())
        .isEqualTo(
            ("Depends: libc6 (>= 2.34), libgcc-s1, libstdc++6, zlib1g%nConflicts: %1$s%n"
                    + "Replaces: %1$s%nProvides: %1$s (= %2$s)%n")
                .formatted(AGENT, BuiltPackages.version()));
  }

  @Test
  void controllerDeb_shipsJarBothLaunchersSettingsUnitDocsAndOverrides() {
    assertThat(contents(CONTROLLER))
        .contains(
            "-rw-r--r-- root/root ./usr/share/pulley/pulley-controller.jar",
            "-rwxr-xr-x root/root ./usr/bin/pulley",
            "-rwxr-xr-x root/root ./usr/bin/pulley-controller",
            "-rw-r--r-- root/root ./etc/pulley/controller.env",
            "-rw-r--r-- root/root ./lib/systemd/system/pulley-controller.service",
            "-rw-r--r-- root/root ./usr/share/doc/pulley-controller/copyright",
            "-rw-r--r-- root/root ./usr/share/doc/pulley-controller/changelog.gz",
            "-rw-r--r-- root/root ./usr/share/man/man1/pulley.1.gz",
            "-rw-r--r-- root/root ./usr/share/man/man8/pulley-controller.8.gz",
            "-rw-r--r-- root/root ./usr/share/lintian/overrides/pulley-controller");
  }

  @Test
  void controllerDeb_leavesItsStateDirectoryToSystemd() {
    // DynamicUser= moves the state directory to /var/lib/private; a packaged one would clash.
    assertThat(contents(CONTROLLER)).noneMatch(line -> line.contains("./var/lib/pulley"));
  }

  @ParameterizedTest
  @ValueSource(strings = {AGENT, CONTROLLER})
  void control_namesPackageVersionJavaRuntimeAndArchitectureAll(String packageName) {
    String deb = BuiltPackages.deb(packageName).toString();
    Run fields =
        Run.of(tmp, "dpkg-deb", "--field", deb, "Package", "Version", "Architecture", "Depends");

    assertThat(fields.assertSucceeded().output())
        .isEqualTo(
            "Package: %s%nVersion: %s%nArchitecture: all%nDepends: %s%n"
                .formatted(packageName, BuiltPackages.version(), JAVA_DEPENDS));
  }

  @Test
  void version_snapshotBecomesTildeAndUtcTimestamp() {
    // "~" sorts before everything: each snapshot is newer than the last, older than a release.
    assertThat(BuiltPackages.version()).matches("\\d+\\.\\d+\\.\\d+(~\\d{14})?");
  }

  @ParameterizedTest
  @ValueSource(strings = {AGENT, AGENT_BUNDLED, CONTROLLER})
  void conffiles_listOnlyTheConfigurationFile(String packageName) throws IOException {
    Path control = controlDir(packageName);

    String expected =
        packageName.equals(CONTROLLER) ? "/etc/pulley/controller.env" : "/etc/pulley/agent.yaml";
    assertThat(Files.readAllLines(control.resolve("conffiles"))).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {AGENT, AGENT_BUNDLED, CONTROLLER})
  void maintainerScripts_areExecutablePosixShellThatParses(String packageName) {
    Path control = controlDir(packageName);

    for (String script : SCRIPTS) {
      Path path = control.resolve(script);
      assertThat(path).isExecutable();
      assertThat(firstLine(path)).isEqualTo("#!/bin/sh");
      Run.of(tmp, "sh", "-n", path.toString()).assertSucceeded();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {AGENT, AGENT_BUNDLED, CONTROLLER})
  void maintainerScripts_touchSystemdOnlyWhenItRuns(String packageName) throws IOException {
    Path control = controlDir(packageName);
    String postinst = Files.readString(control.resolve("postinst"));
    String unit = BuiltPackages.unit(packageName);

    // A chroot or an image build has no /run/systemd/system: nothing may start there.
    assertThat(postinst)
        .contains("deb-systemd-helper enable '" + unit + ".service'")
        .contains("if [ -d /run/systemd/system ]; then")
        .contains("deb-systemd-invoke start '" + unit + ".service'");
    assertThat(Files.readString(control.resolve("prerm")))
        .contains("if [ -d /run/systemd/system ] && [ \"$1\" = remove ]; then")
        .contains("deb-systemd-invoke stop '" + unit + ".service'");
  }

  @Test
  void controllerPostinst_makesTheSecretsKeyOnceOwnerOnly() throws IOException {
    String postinst = Files.readString(controlDir(CONTROLLER).resolve("postinst"));

    assertThat(postinst)
        .contains("if [ ! -e /etc/pulley/controller/secrets.key ]; then")
        .contains("chmod 0700 /etc/pulley/controller")
        .contains("umask 077 && head -c 32 /dev/urandom");
    assertThat(Files.readString(controlDir(CONTROLLER).resolve("postrm")))
        .contains("rm -rf /etc/pulley/controller\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {AGENT, AGENT_BUNDLED, CONTROLLER})
  void postrm_purgeDeletesTheState(String packageName) throws IOException {
    String postrm = Files.readString(controlDir(packageName).resolve("postrm"));

    String state = packageName.equals(CONTROLLER) ? "controller" : "agent";
    assertThat(postrm)
        .contains("if [ \"$1\" = purge ]; then")
        .contains("rm -rf /var/lib/pulley/" + state);
  }

  @ParameterizedTest
  @ValueSource(strings = {AGENT, AGENT_BUNDLED})
  void agentPostrm_purgeLeavesTheStateToTheOtherAgentPackage(String packageName)
      throws IOException {
    String postrm = Files.readString(controlDir(packageName).resolve("postrm"));

    // Switching packages leaves the old one in "rc" state; purging it later must not take the
    // running agent's unit, key and plans with it.
    assertThat(postrm)
        .contains("if [ \"$1\" = purge ] && [ -e /usr/bin/pulley-agent ]; then\n    exit 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {AGENT, AGENT_BUNDLED, CONTROLLER})
  void changelog_firstEntryIsThisVersion(String packageName) throws IOException {
    Path root = BuiltPackages.unpack(packageName, tmp.resolve("root"));
    Path changelog = root.resolve("usr/share/doc/" + packageName + "/changelog.gz");

    try (InputStream in = new GZIPInputStream(Files.newInputStream(changelog))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(text).startsWith("pulley (" + BuiltPackages.version() + ") unstable;");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {AGENT, AGENT_BUNDLED, CONTROLLER})
  void lintian_reportsNoErrorsAndNoUnjustifiedWarnings(String packageName) {
    // Warnings fail too: each remaining one must be overridden, with its reason, in the package.
    Run lintian =
        Run.of(
            tmp,
            "lintian",
            "--fail-on",
            "error,warning",
            "--display-level",
            ">=warning",
            BuiltPackages.deb(packageName).toString());

    assertThat(lintian.exitStatus()).as(lintian.output()).isZero();
  }

  private Run fields(String packageName, String... names) {
    List<String> argv =
        new ArrayList<>(List.of("dpkg-deb", "--field", BuiltPackages.deb(packageName).toString()));
    argv.addAll(List.of(names));
    return Run.of(tmp, Map.of(), Duration.ofMinutes(1), argv).assertSucceeded();
  }

  private List<String> contents(String packageName) {
    String listing =
        Run.of(tmp, "dpkg-deb", "--contents", BuiltPackages.deb(packageName).toString())
            .assertSucceeded()
            .output();
    // "-rw-r--r-- root/root  29841954 2026-11-25 07:06 ./usr/..." -> "-rw-r--r-- root/root
    // ./usr/..."
    return Arrays.stream(listing.split("\n"))
        .map(line -> line.split("\\s+"))
        .map(f -> f[0] + " " + f[1] + " " + f[5])
        .toList();
  }

  private Path controlDir(String packageName) {
    Path dir = tmp.resolve(packageName + "-control");
    Run.of(tmp, "dpkg-deb", "--control", BuiltPackages.deb(packageName).toString(), dir.toString())
        .assertSucceeded();
    return dir;
  }

  private static String firstLine(Path path) {
    try {
      return Files.readAllLines(path).get(0);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + path, e);
    }
  }
}
