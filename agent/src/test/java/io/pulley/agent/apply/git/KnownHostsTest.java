package io.pulley.agent.apply.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan's pinned host key in known_hosts: the only key of its server, others left alone. */
class KnownHostsTest {

  static final String KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH0w38IzInOZLxfcM6i3hlqlq0aPai1YnsCItzOQnPNu";
  static final String OLD =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPem7WBJg4LaCxKJ450bvF60WhuuHw8Fki6fYyfW7Eqi";

  @TempDir Path dir;

  @Test
  void keyOf_takesTypeAndKey_dropsTheComment_andRefusesAnythingElse() {
    assertThat(KnownHosts.keyOf(KEY + " admin@laptop")).contains(KEY);
    assertThat(KnownHosts.keyOf(KEY + "\n* " + OLD)).isEmpty();
    assertThat(KnownHosts.keyOf("* " + KEY)).isEmpty();
    assertThat(KnownHosts.keyOf("ssh-dss AAAAB3")).isEmpty();
    assertThat(KnownHosts.keyOf("ssh-ed25519 not,base64")).isEmpty();
    assertThat(KnownHosts.keyOf("SHA256:XP6eboiLDgtOASZJBNRuzZHI6TtuM6cjJAcOhk3IVNE")).isEmpty();
  }

  @Test
  void pin_replacesEveryLineOfTheServer_plainOrHashed_andKeepsOtherServers() throws Exception {
    Path file = dir.resolve("known_hosts");
    RemoteHost server = new RemoteHost("git.example.com", 2222);
    Files.write(
        file,
        List.of(
            "[git.example.com]:2222 " + OLD,
            hashed("[git.example.com]:2222") + " " + OLD,
            "github.com " + OLD,
            "other.example.com,[git.example.com]:2222 " + OLD,
            "git.example.com " + OLD),
        StandardCharsets.UTF_8);

    KnownHosts.pin(file, server, KEY);

    assertThat(Files.readAllLines(file))
        .containsExactly(
            "github.com " + OLD, "git.example.com " + OLD, "[git.example.com]:2222 " + KEY);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void pin_onPort22_namesTheHostAlone_andMakesTheFileIfMissing() throws Exception {
    Path file = dir.resolve("known_hosts");

    KnownHosts.pin(file, RemoteHost.of("git@github.com:org/app.git").orElseThrow(), KEY);

    assertThat(Files.readAllLines(file)).containsExactly("github.com " + KEY);
  }

  @Test
  void remoteHost_refusesHostsThatKnownHostsWouldReadAsPatterns() {
    assertThat(RemoteHost.of("ssh://git@*.example.com/app.git")).isEmpty();
    assertThat(RemoteHost.of("ssh://git@git.example.com:2222/app.git"))
        .contains(new RemoteHost("git.example.com", 2222));
  }

  private static String hashed(String name) throws Exception {
    byte[] salt = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(salt, "HmacSHA1"));
    byte[] hash = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
    return "|1|"
        + Base64.getEncoder().encodeToString(salt)
        + "|"
        + Base64.getEncoder().encodeToString(hash);
  }
}
