package io.pulley.agent.apply.handover;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Commands to a uWSGI master through its FIFO ({@code master-fifo}): {@code r} reloads gracefully,
 * {@code q} stops gracefully. Stateless and thread-safe.
 */
final class MasterFifo {

  private MasterFifo() {}

  /**
   * Writes the one-letter {@code command} to the FIFO at {@code fifo}. Opening a FIFO for writing
   * blocks until someone reads it, forever if uWSGI is gone; read-write never blocks (Linux,
   * fifo(7)), so the caller checks beforehand that the instance runs.
   */
  static void send(Path fifo, char command) throws IOException {
    PosixFileAttributes attributes =
        Files.readAttributes(fifo, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isOther()) {
      throw new IOException(fifo + " is not a FIFO");
    }
    try (FileChannel channel =
        FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(String.valueOf(command).getBytes(StandardCharsets.US_ASCII)));
    }
  }
}
