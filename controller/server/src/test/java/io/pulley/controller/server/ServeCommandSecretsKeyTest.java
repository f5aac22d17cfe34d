package io.pulley.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where `serve` looks for the secrets key. */
class ServeCommandSecretsKeyTest {
  private final ServeCommand serve = new ServeCommand();

  ServeCommandSecretsKeyTest() {
    serve.dataDir = Path.of("/var/lib/pulley/controller");
  }

  @Test
  void secretsKeyFile_theOptionWins() {
    serve.secretsKey = Path.of("/etc/pulley/controller/secrets.key");

    assertThat(serve.secretsKeyFile("/run/credentials/pulley-controller.service"))
        .isEqualTo(Path.of("/etc/pulley/controller/secrets.key"));
  }

  @Test
  void secretsKeyFile_withoutTheOption_takesSystemdsCredential() {
    assertThat(serve.secretsKeyFile("/run/credentials/pulley-controller.service"))
        .isEqualTo(Path.of("/run/credentials/pulley-controller.service/secrets.key"));
  }

  @Test
  void secretsKeyFile_withNeither_isInTheDataDirsKeysFolder() {
    assertThat(serve.secretsKeyFile(null))
        .isEqualTo(Path.of("/var/lib/pulley/controller/keys/secrets.key"));
  }
}
