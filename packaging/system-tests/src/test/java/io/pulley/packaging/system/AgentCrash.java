package io.pulley.packaging.system;

import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Crashes and checks the agent on a server as a test of crash consistency needs: SIGKILL to the
 * agent's JVM alone (as the kernel's OOM killer or a crash ends it), at a chosen step of an apply,
 * read from the apply journal the agent keeps while it applies; and what a release on the server
 * holds, compared with its commit.
 */
final class AgentCrash {
  private static final String JOURNAL = "/var/lib/pulley/agent/apply-in-progress.pb";

  private AgentCrash() {}

  /**
   * Waits until the agent converges {@code resourceId} (at most {@code within}), waits {@code into}
   * more, so that the kill lands inside the step, and kills the agent's main process.
   */
  static void killWhileConverging(
      PristineServer server, String resourceId, Duration into, Duration within)
      throws InterruptedException {
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> converging(server, resourceId));
    Thread.sleep(into.toMillis());
    kill(server);
  }

  /** Whether the agent's apply journal names {@code resourceId} (ids are ASCII in it). */
  static boolean converging(PristineServer server, String resourceId) {
    return server.exec("grep", "-q", "-a", "-F", resourceId, JOURNAL).ok();
  }

  /** SIGKILL to the agent's JVM alone; systemd restarts it (Restart=on-failure). */
  static void kill(PristineServer server) {
    server.execOrThrow(
        "systemctl", "kill", "--kill-whom=main", "--signal=SIGKILL", "pulley-agent.service");
  }

  /**
   * The Git blob id of every file under {@code release} on the server, by path relative to it,
   * computed there as Git does (sha1 of "blob SIZE\0" and the content).
   */
  static Map<String, String> blobsOnServer(PristineServer server, String release) {
    String script =
        """
        import hashlib, os, sys
        root = sys.argv[1]
        for base, dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(base, name)
                if os.path.islink(path):
                    continue
                data = open(path, 'rb').read()
                blob = hashlib.sha1(b'blob %d\\0' % len(data) + data).hexdigest()
                print(blob, os.path.relpath(path, root))
        """;
    Map<String, String> blobs = new TreeMap<>();
    String out = server.execOrThrow("python3", "-c", script, release).stdout();
    for (String line : out.lines().toList()) {
      int space = line.indexOf(' ');
      blobs.put(line.substring(space + 1), line.substring(0, space));
    }
    return blobs;
  }
}
