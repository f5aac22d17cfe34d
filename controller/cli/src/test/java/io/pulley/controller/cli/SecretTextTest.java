package io.pulley.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What an admin pipes in, and the value that is stored. */
class SecretTextTest {

  @Test
  void normalize_oneLineValue_losesItsTrailingNewline() {
    assertThat(SecretText.normalize("hunter2\n")).isEqualTo("hunter2");
    assertThat(SecretText.normalize("hunter2\r\n")).isEqualTo("hunter2");
    assertThat(SecretText.normalize("hunter2")).isEqualTo("hunter2");
    assertThat(SecretText.normalize("hunter2\n\n")).isEqualTo("hunter2\n\n");
  }

  @Test
  void normalize_multiLineValue_isKeptExactly_andEndsInANewline() {
    String key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

    assertThat(SecretText.normalize(key)).isEqualTo(key);
    assertThat(SecretText.normalize(key.strip())).isEqualTo(key);
  }

  @Test
  void normalize_onlyANewline_isEmpty() {
    assertThat(SecretText.normalize("\n")).isEmpty();
  }

  @Test
  void value_notUtf8_isAUsageErrorThatDoesNotQuoteTheBytes() {
    byte[] latin1 = "pässwörd".getBytes(StandardCharsets.ISO_8859_1);

    CliException e =
        catchThrowableOfType(CliException.class, () -> SecretText.value(latin1, "stdin"));

    assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(e.getMessage()).contains("not UTF-8").doesNotContain("ss");
  }

  @Test
  void value_ofExactly64KiB_isAccepted_andOneByteMoreIsRejected() {
    byte[] largest = ("x".repeat(SecretText.MAX_BYTES) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] larger = "x".repeat(SecretText.MAX_BYTES + 1).getBytes(StandardCharsets.UTF_8);

    assertThat(SecretText.value(largest, "stdin")).hasSize(SecretText.MAX_BYTES);
    CliException e = catchThrowableOfType(CliException.class, () -> SecretText.value(larger, "f"));
    assertThat(e.exitCode()).isEqualTo(ExitCodes.REJECTED);
  }
}
