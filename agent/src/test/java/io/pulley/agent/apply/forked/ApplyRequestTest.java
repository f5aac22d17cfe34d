package io.pulley.agent.apply.forked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyRequestTest {
  @Test
  void crossesAPipeWhole() throws IOException {
    ApplyRequest sent =
        new ApplyRequest(
            List.of(Path.of("/srv"), Path.of("/etc/nginx")),
            Path.of("/var/lib/pulley/agent"),
            "controller.example:7443",
            Path.of("/var/lib/pulley/agent/apply-run.pb"),
            new byte[] {1, 2, 3});
    ByteArrayOutputStream pipe = new ByteArrayOutputStream();
    sent.writeTo(pipe);
    pipe.write('x'); // what follows the request is the stop signal's business

    ApplyRequest received = ApplyRequest.readFrom(new ByteArrayInputStream(pipe.toByteArray()));

    assertThat(received.allowedRoots()).isEqualTo(sent.allowedRoots());
    assertThat(received.dataDir()).isEqualTo(sent.dataDir());
    assertThat(received.controller()).isEqualTo(sent.controller());
    assertThat(received.run()).isEqualTo(sent.run());
    assertThat(received.plan()).containsExactly(1, 2, 3);
  }

  @Test
  void anotherVersionIsRefused() {
    assertThatThrownBy(
            () -> ApplyRequest.readFrom(new ByteArrayInputStream(new byte[] {0, 0, 0, 9})))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version 9");
  }

  @Test
  void countsBeyondTheLimitsAreRefusedBeforeAnythingIsAllocated() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(1);
    out.writeInt(Integer.MAX_VALUE);

    assertThatThrownBy(() -> ApplyRequest.readFrom(new ByteArrayInputStream(bytes.toByteArray())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("at most 256");
  }

  @Test
  void aCutRequestIsAnError() throws IOException {
    ByteArrayOutputStream pipe = new ByteArrayOutputStream();
    new ApplyRequest(List.of(), Path.of("/d"), "c:1", Path.of("/r"), new byte[100]).writeTo(pipe);
    byte[] cut = java.util.Arrays.copyOf(pipe.toByteArray(), pipe.size() - 1);

    assertThatThrownBy(() -> ApplyRequest.readFrom(new ByteArrayInputStream(cut)))
        .isInstanceOf(IOException.class);
  }
}
