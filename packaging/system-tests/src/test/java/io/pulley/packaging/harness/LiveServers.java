package io.pulley.packaging.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This JVM's open servers. The first boot sweeps what earlier runs left and installs a shutdown
 * hook, so Ctrl-C or a test run that forgot {@code close()} still removes every server.
 * Thread-safe.
 */
final class LiveServers {

  private static final Set<PristineServer> OPEN = ConcurrentHashMap.newKeySet();
  private static final Logger log = LoggerFactory.getLogger(LiveServers.class);
  private static boolean started;
  private static volatile boolean shuttingDown;
  private static HarnessDirs dirs;

  private LiveServers() {}

  static synchronized void startOnce(HarnessDirs harnessDirs) {
    if (shuttingDown) {
      throw new IllegalStateException("the JVM is shutting down; not booting a server");
    }
    if (started) {
      return;
    }
    started = true;
    dirs = harnessDirs;
    new Sweeper(dirs).sweep();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(LiveServers::closeAll, "pulley-harness-cleanup"));
  }

  static void add(PristineServer server) {
    OPEN.add(server);
  }

  static void remove(PristineServer server) {
    OPEN.remove(server);
  }

  /** Boots check this between steps, so that none starts a container the hook has missed. */
  static void checkNotShuttingDown(String name) {
    if (shuttingDown) {
      throw new IllegalStateException("the JVM is shutting down; abandoning boot of " + name);
    }
  }

  /**
   * Closes open servers, then removes every server this JVM claimed: one still booting is not in
   * {@link #OPEN} yet, but its address claim already names it.
   */
  private static void closeAll() {
    shuttingDown = true;
    List<PristineServer> servers = new ArrayList<>(OPEN);
    for (PristineServer server : servers) {
      log.warn("closing server {} left open at JVM exit", server);
      try {
        server.close();
      } catch (RuntimeException e) {
        log.error("could not close {}: {}", server, e.toString());
      }
    }
    new Sweeper(dirs).removeOwnedBy(Owner.current());
  }
}
