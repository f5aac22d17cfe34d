package io.pulley.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServeCommandTest {
  @Test
  void metricsListen_withoutAHost_meansLoopback() {
    assertThat(ServeCommand.loopbackIfBare("9465")).isEqualTo("127.0.0.1:9465");
    assertThat(ServeCommand.loopbackIfBare(":9465")).isEqualTo("127.0.0.1:9465");
  }

  @Test
  void metricsListen_withAHost_isKept() {
    assertThat(ServeCommand.loopbackIfBare("0.0.0.0:9465")).isEqualTo("0.0.0.0:9465");
    assertThat(ServeCommand.loopbackIfBare("[::]:9465")).isEqualTo("[::]:9465");
    assertThat(ServeCommand.loopbackIfBare("metrics.internal:9465"))
        .isEqualTo("metrics.internal:9465");
  }
}
