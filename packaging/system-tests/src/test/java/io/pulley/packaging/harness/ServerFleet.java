package io.pulley.packaging.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several {@link PristineServer}s booted in parallel and closed together. If one fails to boot, the
 * others are closed and the failure is thrown; {@link #close()} closes every server, all at once,
 * even when some fail to close. Not thread-safe for concurrent boot and close.
 */
public final class ServerFleet implements AutoCloseable {

  private final List<PristineServer> servers;

  private ServerFleet(List<PristineServer> servers) {
    this.servers = List.copyOf(servers);
  }

  /** Boots {@code count} servers from {@code image} at once. */
  public static ServerFleet boot(DebianImage image, int count) {
    if (count < 1 || count > 50) {
      throw new IllegalArgumentException("fleet size must be 1-50: " + count);
    }
    return boot(Collections.nCopies(count, image));
  }

  /** Boots one server from each of {@code images} at once, in their order. */
  public static ServerFleet boot(List<DebianImage> images) {
    if (images.isEmpty() || images.size() > 50) {
      throw new IllegalArgumentException("fleet size must be 1-50: " + images.size());
    }
    for (DebianImage image : new LinkedHashSet<>(images)) {
      image.rootfs(); // build once, before the parallel boots all wait on the lock
    }
    ExecutorService pool = Executors.newFixedThreadPool(images.size());
    List<Future<PristineServer>> futures = new ArrayList<>();
    for (DebianImage image : images) {
      futures.add(pool.submit(() -> PristineServer.boot(image)));
    }
    pool.shutdown();
    List<PristineServer> booted = new ArrayList<>();
    RuntimeException failure = null;
    for (Future<PristineServer> future : futures) {
      try {
        booted.add(future.get());
      } catch (ExecutionException e) {
        failure = merge(failure, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = merge(failure, e);
      }
    }
    ServerFleet fleet = new ServerFleet(booted);
    if (failure != null) {
      try {
        fleet.close();
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
      throw failure;
    }
    return fleet;
  }

  public List<PristineServer> servers() {
    return servers;
  }

  public PristineServer get(int index) {
    return servers.get(index);
  }

  /**
   * Closes every server at once: each halt waits on its own server's systemd (up to {@link
   * PristineServer#POWEROFF_TIMEOUT}), so one after the other would add those waits up.
   */
  @Override
  public void close() {
    if (servers.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(servers.size());
    List<Future<?>> closes = new ArrayList<>();
    for (PristineServer server : servers) {
      closes.add(pool.submit(server::close));
    }
    pool.shutdown();
    RuntimeException failure = null;
    for (Future<?> close : closes) {
      try {
        close.get();
      } catch (ExecutionException e) {
        failure = merge(failure, e.getCause());
      } catch (InterruptedException e) {
        // The closes go on in the pool; a JVM shutdown hook closes whatever is left.
        Thread.currentThread().interrupt();
        failure = merge(failure, e);
        break;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException merge(RuntimeException first, Throwable next) {
    RuntimeException wrapped =
        next instanceof RuntimeException runtime
            ? runtime
            : new IllegalStateException("server boot or close failed", next);
    if (first == null) {
      return wrapped;
    }
    first.addSuppressed(wrapped);
    return first;
  }
}
