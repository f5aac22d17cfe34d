package io.pulley.agent.apply.unloading;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets an apply's classes go once nothing runs them any more. Libraries leave threads behind that
 * end by themselves a little later (JGit's file-store probes and the JDK's process reaper idle out
 * after 30 to 60 seconds); each holds the apply's class loader as its context loader. So a
 * short-lived thread waits for those, takes back the apply's shutdown hooks, and then asks for the
 * one full collection that unloads the classes and returns the memory. It runs once per apply and
 * ends; an agent at rest has no such thread.
 */
final class LoaderRelease {
  private static final Logger log = LoggerFactory.getLogger(LoaderRelease.class);

  private static final int COLLECTIONS = 5;
  private static final Duration FINALIZER_TURN = Duration.ofMillis(200);

  private LoaderRelease() {}

  /**
   * Starts the release of {@code loader}; completes with whether it was unloaded. Threads that are
   * still running after {@code patience} keep it loaded (they are named in the log).
   */
  static CompletableFuture<Boolean> start(ClassLoader loader, Duration patience) {
    WeakReference<ClassLoader> ref = new WeakReference<>(loader);
    CompletableFuture<Boolean> unloaded = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> unloaded.complete(release(ref, System.nanoTime() + patience.toNanos())),
            "pulley-apply-unload");
    thread.setDaemon(true);
    // Its own context loader must not be the one it waits to see go.
    thread.setContextClassLoader(LoaderRelease.class.getClassLoader());
    thread.start();
    return unloaded;
  }

  private static boolean release(WeakReference<ClassLoader> ref, long deadline) {
    List<Thread> stragglers = awaitThreadsOf(ref, deadline);
    if (!stragglers.isEmpty()) {
      log.info(
          "the last apply's classes stay loaded while these threads run: {}",
          stragglers.stream().map(Thread::getName).toList());
      return false;
    }
    removeHooks(ref);
    // More than one: a collection finds the objects whose finalizers (JGit has one) still hold
    // the loader; the next one after the finalizer thread ran them frees it.
    for (int i = 0; i < COLLECTIONS && ref.get() != null; i++) {
      System.gc();
      try {
        Thread.sleep(FINALIZER_TURN.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (ref.get() != null) {
      log.info("the last apply's classes stay loaded: something outside it still holds them");
      return false;
    }
    // HotSpot returns an unloaded loader's metaspace at the next safepoint; with the periodic one
    // turned off (GuaranteedSafepointInterval=0 in the agent's flags) that is another collection.
    System.gc();
    log.debug("the last apply's classes were unloaded");
    return true;
  }

  /** Waits until no live thread belongs to the loader; returns those still running at the end. */
  private static List<Thread> awaitThreadsOf(WeakReference<ClassLoader> ref, long deadline) {
    while (true) {
      List<Thread> running = threadsOf(ref.get());
      long left = deadline - System.nanoTime();
      if (running.isEmpty() || left <= 0) {
        return running;
      }
      try {
        running.get(0).join(Math.max(1, Duration.ofNanos(left).toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return running;
      }
    }
  }

  private static List<Thread> threadsOf(ClassLoader loader) {
    List<Thread> threads = new ArrayList<>();
    if (loader == null) {
      return threads;
    }
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && belongsTo(t, loader)) {
        threads.add(t);
      }
    }
    return threads;
  }

  /** Whether {@code thread} holds {@code loader}: its context loader, or its own class's. */
  static boolean belongsTo(Thread thread, ClassLoader loader) {
    return thread.getContextClassLoader() == loader || thread.getClass().getClassLoader() == loader;
  }

  private static void removeHooks(WeakReference<ClassLoader> ref) {
    ClassLoader loader = ref.get();
    if (loader != null) {
      ShutdownHooks.removeThoseOf(loader);
    }
  }
}
