package io.pulley.packaging.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
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
    List<Callable<PristineServer>> boots = new ArrayList<>();
    for (DebianImage image : images) {
      boots.add(() -> PristineServer.boot(image));
    }
    AtOnce<PristineServer> booted = atOnce(boots);
    RuntimeException failure = booted.failure();
    ServerFleet fleet = new ServerFleet(booted.done());
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
    eachAtOnce((index, server) -> server.close());
  }

  /** What {@link #eachAtOnce} runs on one server, given with its index in the fleet. */
  public interface ServerTask {
    void run(int index, PristineServer server) throws Exception;
  }

  /**
   * Runs {@code task} on every server at once and waits for all of them; their failures are thrown
   * together, the first with the others suppressed.
   */
  public void eachAtOnce(ServerTask task) {
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      int index = i;
      tasks.add(
          () -> {
            task.run(index, servers.get(index));
            return null;
          });
    }
    RuntimeException failure = atOnce(tasks).failure();
    if (failure != null) {
      throw failure;
    }
  }

  /** What {@link #atOnce} got back: the tasks' results, and their failures merged (or null). */
  private record AtOnce<T>(List<T> done, RuntimeException failure) {}

  /**
   * Runs {@code tasks} each on a thread of its own and waits for them. If this thread is
   * interrupted it stops waiting: the tasks go on in the pool, and a JVM shutdown hook closes any
   * server left.
   */
  private static <T> AtOnce<T> atOnce(List<Callable<T>> tasks) {
    List<T> done = new ArrayList<>();
    RuntimeException failure = null;
    if (tasks.isEmpty()) {
      return new AtOnce<>(done, failure);
    }
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      futures.add(pool.submit(task));
    }
    pool.shutdown();
    for (Future<T> future : futures) {
      try {
        done.add(future.get());
      } catch (ExecutionException e) {
        failure = merge(failure, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = merge(failure, e);
        break;
      }
    }
    return new AtOnce<>(done, failure);
  }

  private static RuntimeException merge(RuntimeException first, Throwable next) {
    RuntimeException wrapped =
        next instanceof RuntimeException runtime
            ? runtime
            : new IllegalStateException("a task on a server failed", next);
    if (first == null) {
      return wrapped;
    }
    first.addSuppressed(wrapped);
    return first;
  }
}
