package io.pulley.agent.apply.process;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps only the last {@code capacity} bytes written, in a ring, so a chatty command cannot fill
 * the agent's memory. Thread-safe: stdout and stderr pumps write concurrently.
 */
final class TailBuffer extends OutputStream {
  private final byte[] ring;
  private long written;

  TailBuffer(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    ring = new byte[capacity];
  }

  @Override
  public synchronized void write(int b) {
    ring[(int) (written % ring.length)] = (byte) b;
    written++;
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    int skip = Math.max(0, len - ring.length);
    // Bytes that would be overwritten within this call are counted, never copied.
    written += skip;
    for (int i = off + skip; i < off + len; i++) {
      write(b[i]);
    }
  }

  /** The retained bytes as UTF-8, starting at a character boundary. */
  synchronized String tail() {
    int size = (int) Math.min(written, ring.length);
    byte[] out = new byte[size];
    int start = (int) ((written - size) % ring.length);
    for (int i = 0; i < size; i++) {
      out[i] = ring[(start + i) % ring.length];
    }
    int from = 0;
    // Drop UTF-8 continuation bytes cut off from their lead byte at the start.
    while (written > ring.length && from < size && (out[from] & 0xC0) == 0x80) {
      from++;
    }
    return new String(out, from, size - from, StandardCharsets.UTF_8);
  }
}
