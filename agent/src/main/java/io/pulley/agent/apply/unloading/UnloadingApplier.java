package io.pulley.agent.apply.unloading;

import io.pulley.agent.apply.Applier;
import io.pulley.agent.apply.ApplyJournal;
import io.pulley.agent.apply.PlanApplier;
import io.pulley.agent.apply.RunBytes;
import io.pulley.v1.HostPlan;
import io.pulley.v1.InterruptedApply;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each plan with executors loaded for that apply alone, then drops them: an agent at rest
 * then holds only what polling needs, not the 1,500 classes of JGit and the executors (about 10 MB
 * of class metadata, which the JVM returns once they are unloaded). The apply runs on a thread of
 * its own, so that nothing it left in thread-locals outlives it; afterwards {@link LoaderRelease}
 * waits for what its libraries left running and unloads its classes.
 */
public final class UnloadingApplier implements PlanApplier {
  private static final Logger log = LoggerFactory.getLogger(UnloadingApplier.class);
  private static final String ENTRY = "io.pulley.agent.apply.wiring.LoadedApply";

  /** Longer than the threads JGit and the JDK leave behind take to idle out (30 and 60 s). */
  private static final Duration RELEASE_PATIENCE = Duration.ofMinutes(2);

  private final URL[] classPath;
  private final String entry;
  private final List<Path> allowedRoots;
  private final Path dataDir;
  private final String controller;
  private final Clock clock;
  private final ApplyJournal journal;
  private volatile WeakReference<ClassLoader> lastLoader = new WeakReference<>(null);
  private volatile CompletableFuture<Boolean> released = CompletableFuture.completedFuture(true);

  /**
   * @param classPath where the agent's classes are (its jar)
   * @param entry the class that runs an apply in the new loader (another one in tests)
   * @param controller host:port of the controller, which a firewall change must still reach
   * @param clock the agent's clock, for the report's times (a platform type: it crosses as is)
   */
  UnloadingApplier(
      URL[] classPath,
      String entry,
      List<Path> allowedRoots,
      Path dataDir,
      String controller,
      Clock clock) {
    this.classPath = classPath.clone();
    this.entry = entry;
    this.allowedRoots = List.copyOf(allowedRoots);
    this.dataDir = dataDir;
    this.controller = controller;
    this.clock = clock;
    this.journal = new ApplyJournal(dataDir);
  }

  /** Loads the executors from the class path this JVM started with: the agent's jar. */
  public static UnloadingApplier fromThisJvm(
      List<Path> allowedRoots, Path dataDir, String controller, Clock clock) {
    return new UnloadingApplier(
        ClassPath.ofThisJvm(), ENTRY, allowedRoots, dataDir, controller, clock);
  }

  @Override
  public Optional<InterruptedApply> interrupted() {
    return journal.interrupted();
  }

  @Override
  public Applier.Run apply(HostPlan plan, BooleanSupplier stop) {
    AtomicReference<byte[]> out = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    runInOwnLoader(plan, stop, out, failure);
    if (failure.get() != null) {
      log.error("the apply could not run", failure.get());
      return new Applier.Run(RunFailure.report(plan, failure.get()), true);
    }
    try {
      return RunBytes.decode(out.get());
    } catch (IOException e) {
      log.error("the apply's report did not cross intact", e);
      return new Applier.Run(RunFailure.report(plan, e), true);
    }
  }

  private void runInOwnLoader(
      HostPlan plan,
      BooleanSupplier stop,
      AtomicReference<byte[]> out,
      AtomicReference<Throwable> failure) {
    try (ApplyClassLoader loader =
        new ApplyClassLoader(classPath, UnloadingApplier.class.getClassLoader())) {
      lastLoader = new WeakReference<>(loader);
      Thread thread =
          new Thread(() -> run(loader, plan.toByteArray(), stop, out, failure), "pulley-apply");
      // Libraries that look for services through the thread's loader must find this apply's.
      thread.setContextClassLoader(loader);
      thread.start();
      joinUninterruptibly(thread);
      released = LoaderRelease.start(loader, RELEASE_PATIENCE);
    } catch (IOException e) {
      log.warn("cannot close the apply's class loader: {}", e.getMessage());
    }
  }

  /** The class loader of the last apply while it is still in memory (for tests). */
  Optional<ClassLoader> lastLoader() {
    return Optional.ofNullable(lastLoader.get());
  }

  /** Completes when the last apply's classes were let go: true if they were unloaded. */
  CompletableFuture<Boolean> lastRelease() {
    return released;
  }

  @SuppressWarnings("unchecked")
  private void run(
      ClassLoader loader,
      byte[] plan,
      BooleanSupplier stop,
      AtomicReference<byte[]> out,
      AtomicReference<Throwable> failure) {
    try {
      Object apply =
          loader
              .loadClass(entry)
              .getConstructor(List.class, Path.class, String.class, Clock.class)
              .newInstance(allowedRoots, dataDir, controller, clock);
      out.set(((BiFunction<byte[], BooleanSupplier, byte[]>) apply).apply(plan, stop));
    } catch (InvocationTargetException e) {
      failure.set(e.getCause());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      failure.set(e);
    }
  }

  /** An apply is never abandoned half-way: a stop request goes through {@code stop} instead. */
  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
