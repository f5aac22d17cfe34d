package io.pulley.agent.apply.unloading;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

/**
 * Loads the agent's own classes and its libraries afresh from the agent's class path, before asking
 * its parent: the executors, JGit and their copy of protobuf belong to this loader alone and are
 * unloaded with it. The Java platform and logging come from the parent, so that an apply logs
 * through the daemon's one configuration.
 */
final class ApplyClassLoader extends URLClassLoader {
  /** Packages always taken from the parent: the platform's and the logging API and backend. */
  private static final List<String> SHARED =
      List.of(
          "java.",
          "javax.",
          "jdk.",
          "sun.",
          "com.sun.",
          "org.w3c.",
          "org.xml.",
          "org.slf4j.",
          "ch.qos.logback.");

  static {
    registerAsParallelCapable();
  }

  ApplyClassLoader(URL[] classPath, ClassLoader parent) {
    super("pulley-apply", classPath, parent);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (shared(name)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        try {
          loaded = findClass(name);
        } catch (ClassNotFoundException notOurs) {
          return super.loadClass(name, resolve);
        }
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }

  static boolean shared(String className) {
    for (String prefix : SHARED) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
