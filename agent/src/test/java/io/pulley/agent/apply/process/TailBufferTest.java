package io.pulley.agent.apply.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TailBufferTest {

  @Test
  void tail_shortOutput_isKeptWhole() {
    TailBuffer buffer = new TailBuffer(8);
    buffer.write("abc".getBytes(StandardCharsets.UTF_8), 0, 3);

    assertThat(buffer.tail()).isEqualTo("abc");
  }

  @Test
  void tail_manyWrites_keepsTheLastBytesInOrder() {
    TailBuffer buffer = new TailBuffer(4);
    for (String s : new String[] {"ab", "cde", "f", "ghijkl", "m"}) {
      buffer.write(s.getBytes(StandardCharsets.UTF_8), 0, s.length());
    }

    assertThat(buffer.tail()).isEqualTo("jklm");
  }

  @Test
  void tail_cutInsideAMultibyteCharacter_dropsTheFragment() {
    TailBuffer buffer = new TailBuffer(4);
    byte[] bytes = "xxé€".getBytes(StandardCharsets.UTF_8); // é = 2 bytes, € = 3 bytes
    buffer.write(bytes, 0, bytes.length);

    assertThat(buffer.tail()).isEqualTo("€");
  }
}
