package io.pulley.packaging.system;

import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Crashes and checks the agent on a server as a test of crash consistency needs: SIGKILL to every
 * process of the agent's unit at once (its JVM, the JVM of the apply in progress and the programs
 * that one runs, as a power loss or a crash of the apply ends them), at a chosen step of an apply,
 * read from the apply journal the apply keeps while it runs; and what a release on the server
 * holds, compared with its commit.
 */
final class AgentCrash {
  private static final String JOURNAL = "/var/lib/pulley/agent/apply-in-progress.pb";
  private static final String APPLIED_PLAN = "/var/lib/pulley/agent/applied-plan-id";

  /**
   * Python that reads the apply journal's fields, whose ids are ASCII: {@code plan_of(data)}, its
   * plan_id (field 1, first); {@code wanted(id)}, the bytes of resource_id (field 5,
   * length-delimited) naming {@code id}.
   */
  private static final String JOURNAL_FIELDS =
      """
      import sys
      def plan_of(data):
          return data[2:2 + data[1]] if len(data) > 2 and data[0] == 1 << 3 | 2 else b''
      def wanted(rid):
          return bytes([5 << 3 | 2, len(rid)]) + rid.encode()
      """;

  /** Exits 0 if the journal (argv 1) is of a plan other than argv 2 and at resource argv 3. */
  private static final String CONVERGING =
      JOURNAL_FIELDS
          + """
          try:
              data = open(sys.argv[1], 'rb').read()
          except FileNotFoundError:  # no apply under way
              sys.exit(1)
          sys.exit(0 if plan_of(data) != sys.argv[2].encode() and wanted(sys.argv[3]) in data
                   else 1)
          """;

  private AgentCrash() {}

  /** The plan the agent applied last: a deploy's apply is of another one. */
  static String appliedPlan(PristineServer server) {
    return server.exec("cat", APPLIED_PLAN).stdout().strip();
  }

  /**
   * Waits until the agent converges {@code resourceId} in an apply of a plan other than {@code
   * oldPlan} (at most {@code within}), waits {@code into} more, so that the kill lands inside the
   * step, and kills the agent's unit. Not in a reconvergence of the old plan: the agent re-applies
   * its plan every few seconds in the system tests, and one under way when the deploy was applied
   * goes through the same steps first.
   */
  static void killWhileConverging(
      PristineServer server, String oldPlan, String resourceId, Duration into, Duration within)
      throws InterruptedException {
    requireOneLengthByte(resourceId);
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> converging(server, oldPlan, resourceId));
    Thread.sleep(into.toMillis());
    kill(server);
  }

  /** How {@link #killAtStep} ended. */
  enum StepKill {
    /** The agent was killed while it converged the step. */
    KILLED,
    /** The apply ended before the step was seen (it went by between two looks). */
    PASSED,
    /** Neither within the time given. */
    TIMED_OUT
  }

  /**
   * Kills the agent as soon as its apply journal says it converges {@code resourceId}, watching on
   * the server itself every few milliseconds, so that even a step of a few milliseconds is seen;
   * blocks until then. Arm it before the plan is applied.
   */
  static StepKill killAtStep(PristineServer server, String resourceId, Duration within) {
    String script =
        JOURNAL_FIELDS
            + """
        import os, signal, time
        journal, applied = sys.argv[1], sys.argv[4]
        field, seconds = wanted(sys.argv[2]), float(sys.argv[3])
        def kill_unit():
            # kill(2) of each process of the unit lands at once, where systemctl would take a
            # while; again until none is left, so that nothing forked meanwhile escapes.
            for _ in range(20):
                found = False
                for pid in filter(str.isdigit, os.listdir('/proc')):
                    try:
                        if 'pulley-agent.service' in open('/proc/%s/cgroup' % pid).read():
                            os.kill(int(pid), signal.SIGKILL)
                            found = True
                    except (FileNotFoundError, ProcessLookupError):
                        pass
                if not found:
                    return
        # The plan applied before the deploy: its reconvergences are not the deploy's apply.
        try:
            old_plan = open(applied, 'rb').read().strip()
        except FileNotFoundError:
            old_plan = b''
        deadline, began = time.monotonic() + seconds, False
        while time.monotonic() < deadline:
            try:
                data = open(journal, 'rb').read()
            except FileNotFoundError:
                data = None
            if data is not None and plan_of(data) == old_plan:
                data = None  # a reconvergence of the plan the deploy replaces
            if data is not None and field in data:
                kill_unit()
                print('KILLED')
                sys.exit(0)
            if data is None and began:
                print('PASSED')
                sys.exit(0)
            began = began or data is not None
            time.sleep(0.002)
        print('TIMED_OUT')
        """;
    requireOneLengthByte(resourceId);
    String out =
        server
            .execOrThrow(
                "python3",
                "-c",
                script,
                JOURNAL,
                resourceId,
                Long.toString(within.toSeconds()),
                APPLIED_PLAN)
            .stdout()
            .strip();
    return StepKill.valueOf(out);
  }

  /**
   * Whether the agent's apply journal says it converges {@code resourceId} in an apply of a plan
   * other than {@code oldPlan}.
   */
  private static boolean converging(PristineServer server, String oldPlan, String resourceId) {
    return server.exec("python3", "-c", CONVERGING, JOURNAL, oldPlan, resourceId).ok();
  }

  /** The scripts write a resource id's length as one byte, as protobuf does below 128. */
  private static void requireOneLengthByte(String resourceId) {
    if (resourceId.length() > 127) {
      throw new IllegalArgumentException("a resource id of one length byte: " + resourceId);
    }
  }

  /** SIGKILL to every process of the agent's unit; systemd restarts it (Restart=on-failure). */
  static void kill(PristineServer server) {
    server.execOrThrow(
        "systemctl", "kill", "--kill-whom=all", "--signal=SIGKILL", "pulley-agent.service");
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
