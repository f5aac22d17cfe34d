package io.pulley.agent.apply.unloading;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes back the JVM shutdown hooks an apply's libraries registered. JGit registers one when it
 * first locks a file (to remove its lock files if the JVM exits mid-write); that hook would hold
 * JGit's classes, and with them every class of the apply, in memory for good. Once the apply has
 * ended JGit holds no lock, so the hook has nothing left to do.
 *
 * <p>The JVM lists its hooks only in a private field: reading it needs {@code --add-opens
 * java.base/java.lang=ALL-UNNAMED} (in the agent's start script and unit). Without it the hooks
 * stay and so do the apply's classes; the agent works the same.
 */
final class ShutdownHooks {
  private static final Logger log = LoggerFactory.getLogger(ShutdownHooks.class);
  private static volatile boolean warned;

  private ShutdownHooks() {}

  /** Removes every hook whose thread belongs to {@code loader}; returns how many. */
  static int removeThoseOf(ClassLoader loader) {
    List<Thread> hooks;
    try {
      hooks = registered();
    } catch (ReflectiveOperationException | InaccessibleObjectException e) {
      if (!warned) {
        warned = true;
        log.info(
            "the classes of an apply stay loaded: its libraries' shutdown hooks cannot be read ({})",
            e.getMessage());
      }
      return 0;
    }
    int removed = 0;
    for (Thread hook : hooks) {
      if (LoaderRelease.belongsTo(hook, loader)) {
        removed += Runtime.getRuntime().removeShutdownHook(hook) ? 1 : 0;
      }
    }
    return removed;
  }

  private static List<Thread> registered() throws ReflectiveOperationException {
    Class<?> hooksClass = Class.forName("java.lang.ApplicationShutdownHooks");
    Field field = hooksClass.getDeclaredField("hooks");
    field.setAccessible(true);
    // The JVM changes the map only while it holds the class's lock (its methods are synchronized).
    synchronized (hooksClass) {
      Map<?, ?> hooks = (Map<?, ?>) field.get(null);
      List<Thread> threads = new ArrayList<>();
      if (hooks != null) {
        for (Object key : hooks.keySet()) {
          threads.add((Thread) key);
        }
      }
      return threads;
    }
  }
}
