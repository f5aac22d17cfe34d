package io.pulley.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `serve`'s webhook certificate options: both or neither, and only for a TLS webhook listener. */
class ServeCommandWebhookTlsTest {
  @TempDir Path temp;

  @Test
  void aCertificateWithoutItsKey_isAUsageError() {
    Run run = serve("--webhook-listen", "127.0.0.1:0", "--webhook-tls-cert", "hook.crt");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("go in pairs: --webhook-tls-key is missing");
  }

  @Test
  void aKeyWithoutItsCertificate_isAUsageError() {
    Run run = serve("--webhook-listen", "127.0.0.1:0", "--webhook-tls-key", "hook.key");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--webhook-tls-cert is missing");
  }

  @Test
  void aWebhookCertificate_withoutAWebhookListener_isAUsageError() {
    Run run = serve("--webhook-tls-cert", "hook.crt", "--webhook-tls-key", "hook.key");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("need --webhook-listen");
  }

  @Test
  void aWebhookCertificate_inInsecureMode_isAUsageError() {
    Run run =
        serve(
            "--insecure",
            "--webhook-listen",
            "127.0.0.1:0",
            "--webhook-tls-cert",
            "hook.crt",
            "--webhook-tls-key",
            "hook.key");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("cannot go with --insecure");
  }

  @Test
  void theWebhookListenersHost_isAmongTheServerCertificatesDefaultNames() {
    assertThat(
            TlsConfig.defaultNames(
                new InetSocketAddress("127.0.0.1", 7400),
                InetSocketAddress.createUnresolved("hooks.example.test", 8443)))
        .contains("127.0.0.1", "hooks.example.test");
    assertThat(
            TlsConfig.defaultNames(
                new InetSocketAddress("127.0.0.1", 7400), new InetSocketAddress("0.0.0.0", 8443)))
        .doesNotContain("0.0.0.0");
  }

  private Run serve(String... args) {
    List<String> all = new ArrayList<>(List.of("--data-dir", temp.resolve("data").toString()));
    all.addAll(List.of(args));
    StringWriter err = new StringWriter();
    int exitCode =
        new CommandLine(new ServeCommand())
            .setErr(new PrintWriter(err))
            .execute(all.toArray(new String[0]));
    assertThat(Files.exists(temp.resolve("data"))).as("refused before anything is made").isFalse();
    return new Run(exitCode, err.toString());
  }

  private record Run(int exitCode, String err) {}
}
