package io.pulley.controller.server;

import io.pulley.trust.Credentials;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Each test gets a fresh controller serving TLS, and its first admin. */
abstract class TrustedControllerTest {
  @TempDir Path temp;
  TrustedController controller;
  Credentials admin;

  @BeforeEach
  void start() throws IOException {
    controller = new TrustedController(temp.resolve("controller"));
    admin = controller.firstAdmin();
  }

  @AfterEach
  void stop() {
    controller.close();
  }
}
