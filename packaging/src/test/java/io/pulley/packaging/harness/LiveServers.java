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

  private LiveServers() {}

  static synchronized void startOnce(HarnessDirs dirs) {
    if (started) {
      return;
    }
    started = true;
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

  private static void closeAll() {
    List<PristineServer> servers = new ArrayList<>(OPEN);
    for (PristineServer server : servers) {
      log.warn("closing server {} left open at JVM exit", server);
      try {
        server.close();
      } catch (RuntimeException e) {
        log.error("could not close {}: {}", server, e.toString());
      }
    }
  }
}
