package io.pulley.packaging.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DebianImageTest {

  @ParameterizedTest
  @EnumSource(DebianRelease.class)
  void rootfs_isTheReleaseWithSystemdJavaAndMaskedAptTimers(DebianRelease release)
      throws IOException {
    Path rootfs = DebianImage.of(release).rootfs();

    assertThat(rootfs.resolve("etc/os-release"))
        .content()
        .contains("VERSION_ID=\"" + release.version() + "\"");

    assertThat(rootfs.resolve("usr/lib/systemd/systemd")).isExecutable();
    try (Stream<Path> jvms = Files.list(rootfs.resolve("usr/lib/jvm"))) {
      assertThat(jvms.map(jvm -> jvm.resolve("bin/java"))).anyMatch(Files::isExecutable);
    }
    assertThat(rootfs.resolve("etc/machine-id")).isEmptyFile();
    assertThat(rootfs.resolve("etc/resolv.conf")).isEmptyFile();
    assertThat(Files.readSymbolicLink(rootfs.resolve("etc/systemd/system/apt-daily.timer")))
        .isEqualTo(Path.of("/dev/null"));
    try (Stream<Path> debs = Files.list(rootfs.resolve("var/cache/apt/archives"))) {
      assertThat(debs.map(Path::toString)).noneMatch(file -> file.endsWith(".deb"));
    }
  }

  @Test
  void rootfs_secondCall_returnsCachedImage() {
    DebianImage image = DebianImage.bookworm();

    assertThat(image.rootfs()).isEqualTo(image.rootfs());
    assertThat(image.directory().resolve("recipe")).hasContent(image.recipe().strip());
  }

  @Test
  void key_dependsOnRecipeOnly() {
    DebianImage base = DebianImage.bookworm();

    assertThat(base.key()).isEqualTo(DebianImage.bookworm().key()).hasSize(12);
    assertThat(base.withPackages("nginx").key()).isNotEqualTo(base.key());
    assertThat(base.withPackages("dbus").key()).isEqualTo(base.key());
  }

  @Test
  void release_isNamedByVersionOrSuite_andAnUnknownOneIsRefused() {
    assertThat(DebianRelease.named("13")).isEqualTo(DebianRelease.TRIXIE);
    assertThat(DebianRelease.named("bookworm")).isEqualTo(DebianRelease.BOOKWORM);
    assertThatThrownBy(() -> DebianRelease.named("11"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown Debian release '11'");
  }

  @Test
  void withPackages_badName_failsWithTheName() {
    assertThatThrownBy(() -> DebianImage.bookworm().withPackages("nginx; rm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nginx; rm");
  }
}
