package io.pulley.packaging.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptProxyTest {

  @Test
  void hosts_readsOneLineAndDeb822SourcesOfTheImage(@TempDir Path rootfs) throws IOException {
    Path apt = Files.createDirectories(rootfs.resolve("etc/apt/sources.list.d"));
    Files.writeString(
        apt.resolveSibling("sources.list"),
        "# deb http://commented.invalid/debian bookworm main\n"
            + "deb [signed-by=/k.gpg] http://one.invalid/debian bookworm main\n");
    Files.writeString(
        apt.resolve("extra.sources"),
        "Types: deb\nURIs: http://two.invalid/debian https://tls.invalid/x\nSuites: bookworm\n");
    Files.writeString(
        apt.resolve("ignored.txt"), "deb http://three.invalid/debian bookworm main\n");

    assertThat(AptProxy.Sources.hosts(rootfs)).containsExactly("one.invalid", "two.invalid");
  }

  @Test
  void request_toAnotherHostOrNotGet_isRefused(@TempDir Path temp) throws Exception {
    Path rootfs = temp.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("etc/apt"));
    Files.writeString(
        rootfs.resolve("etc/apt/sources.list"),
        "deb http://packages.invalid/debian bookworm main\n");
    try (AptProxy proxy =
        AptProxy.start(rootfs, temp.resolve("cache"), InetAddress.getLoopbackAddress())) {
      URI url = URI.create(proxy.url());
      HttpClient client =
          HttpClient.newBuilder()
              .proxy(ProxySelector.of(new InetSocketAddress(url.getHost(), url.getPort())))
              .connectTimeout(Duration.ofSeconds(10))
              .build();

      HttpResponse<String> elsewhere =
          client.send(
              HttpRequest.newBuilder(URI.create("http://elsewhere.invalid/debian/x.deb")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> post =
          client.send(
              HttpRequest.newBuilder(URI.create("http://packages.invalid/debian/dists/x"))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(elsewhere.statusCode()).isEqualTo(403);
      assertThat(elsewhere.body()).contains("elsewhere.invalid");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(proxy.downloads()).isZero();
    }
  }

  @Test
  void server_aptGetInstall_installsThroughTheProxyAndCachesThePackage() {
    try (PristineServer server = PristineServer.boot(DebianImage.bookworm())) {
      assertThat(server.execOrThrow("cat", AptProxy.APT_CONF).stdout())
          .contains(server.aptProxy().url());

      server.execOrThrow("apt-get", "update");
      server
          .exec(
              Duration.ofMinutes(5),
              "env",
              "DEBIAN_FRONTEND=noninteractive",
              "apt-get",
              "install",
              "-y",
              "--no-install-recommends",
              "hello")
          .orThrow();

      assertThat(server.execOrThrow("dpkg-query", "-W", "-f", "${Status}", "hello").stdout())
          .isEqualTo("install ok installed");
      assertThat(server.execOrThrow("hello").stdout()).isEqualTo("Hello, world!\n");
      Path debs = DebianImage.bookworm().dirs().cache().resolve("apt-proxy/debs");
      assertThat(debs.toFile().list()).anyMatch(name -> name.startsWith("hello_"));
    }
  }
}
