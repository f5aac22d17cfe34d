package io.pulley.packaging.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A lock that every thread of every JVM on this machine takes by the same file: for host-wide state
 * that test JVMs running side by side share (the Debian image cache, the bridge). A file lock alone
 * is per process, and a second lock of the same file from one JVM throws, so the threads of one JVM
 * queue on an in-process lock first.
 */
final class HostLock {
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private HostLock() {}

  static <T> T holding(Path file, Supplier<T> action) {
    ReentrantLock local =
        IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new ReentrantLock());
    local.lock();
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        channel.lock(); // released when the channel closes
        return action.get();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      local.unlock();
    }
  }

  static void holding(Path file, Runnable action) {
    holding(
        file,
        () -> {
          action.run();
          return null;
        });
  }
}
