package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pulley.testing.HttpsGitServer;
import io.pulley.testing.SshGitServer;
import io.pulley.testing.TestRepository;
import io.pulley.testing.TestTls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote that lists more refs than the budget allows, over SSH and HTTPS, or trickles its list to
 * stay under the per-read timeout, is refused with a reason instead of holding the controller.
 */
class AdvertisementBudgetTest {
  private static final String TOKEN = "glpat-budget-token";
  private static final int TAGS = 40;

  @TempDir Path tmp;

  private final KeyPair deployKey = SshGitServer.newKey();
  private TestRepository repo;
  private SshGitServer ssh;
  private HttpsGitServer https;
  private HttpServer trickle;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @BeforeEach
  void start() throws Exception {
    repo = TestRepository.create(tmp.resolve("app"));
    repo.commit("app.py", "print('one')\n");
    for (int i = 0; i < TAGS; i++) {
      repo.lightweightTag("v1.0." + i);
    }
    ssh = SshGitServer.start(repo.gitDir(), "git", deployKey.getPublic(), SshGitServer.newKey());
    https = HttpsGitServer.start(repo.gitDir(), "x-access-token", TOKEN);
    TestTls.get().trustInThisJvm();
  }

  @AfterEach
  void stop() {
    ssh.close();
    https.close();
    if (trickle != null) {
      trickle.stop(0);
    }
    executor.shutdownNow();
    repo.close();
  }

  private GitRemote overSsh() {
    return GitRemote.ssh(ssh.url("git"), SshGitServer.privateKeyText(deployKey), "");
  }

  private GitRemote overHttps() {
    return GitRemote.https(https.url(), "x-access-token", TOKEN);
  }

  @Test
  void withinTheBudget_everyRefIsListed() throws RemoteFailure {
    AdvertisementBudget budget = new AdvertisementBudget(64 << 10, Duration.ofSeconds(30));

    assertThat(RemoteReader.read(overSsh(), 10, budget).refs()).hasSizeGreaterThan(TAGS);
    assertThat(
            RemoteReader.read(
                    overHttps(), 10, new AdvertisementBudget(64 << 10, Duration.ofSeconds(30)))
                .refs())
        .hasSizeGreaterThan(TAGS);
  }

  @Test
  void moreRefsThanTheBudget_overSshAndHttps_areRefusedSayingSo() {
    for (GitRemote remote : new GitRemote[] {overSsh(), overHttps()}) {
      assertThatThrownBy(
              () ->
                  RemoteReader.read(
                      remote, 10, new AdvertisementBudget(1024, Duration.ofSeconds(30))))
          .as(remote.url())
          .isInstanceOf(RemoteFailure.class)
          .hasMessageContaining("the remote sent more than 1024 bytes while listing its refs");
    }
  }

  @Test
  @Timeout(60) // without the deadline, the listing would never end
  void aRemoteTricklingItsRefs_underThePerReadTimeout_isCutAtTheDeadline() throws IOException {
    trickle = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    trickle.createContext("/slow.git/", this::trickleRefs);
    trickle.setExecutor(executor);
    trickle.start();
    GitRemote slow =
        GitRemote.anonymous("http://127.0.0.1:" + trickle.getAddress().getPort() + "/slow.git");

    assertThatThrownBy(
            () ->
                RemoteReader.read(
                    slow, 10, new AdvertisementBudget(32 << 20, Duration.ofSeconds(2))))
        .isInstanceOf(RemoteFailure.class)
        .hasMessageContaining("the remote took longer than 2 s to list its refs");
  }

  /** A smart-HTTP advertisement that never ends: one more tag every 200 ms. */
  private void trickleRefs(HttpExchange exchange) {
    try (exchange) {
      exchange
          .getResponseHeaders()
          .add("Content-Type", "application/x-git-upload-pack-advertisement");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(packet("# service=git-upload-pack\n"));
      out.write("0000".getBytes(StandardCharsets.US_ASCII));
      String id = "a".repeat(40);
      out.write(packet(id + " HEAD\0side-band-64k\n"));
      for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
        out.write(packet(id + " refs/tags/v" + i + "\n"));
        out.flush();
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The reader gave up and closed the connection: what the test wants.
    }
  }

  private static byte[] packet(String line) {
    byte[] body = line.getBytes(StandardCharsets.UTF_8);
    String length = String.format("%04x", body.length + 4);
    byte[] packet = new byte[body.length + 4];
    System.arraycopy(length.getBytes(StandardCharsets.US_ASCII), 0, packet, 0, 4);
    System.arraycopy(body, 0, packet, 4, body.length);
    return packet;
  }
}
