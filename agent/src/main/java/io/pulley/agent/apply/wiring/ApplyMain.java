package io.pulley.agent.apply.wiring;

import io.pulley.agent.apply.Applier;
import io.pulley.agent.apply.ApplyJournal;
import io.pulley.agent.apply.RunBytes;
import io.pulley.agent.apply.firewall.TcpControllerReach;
import io.pulley.agent.apply.forked.ApplyRequest;
import io.pulley.agent.apply.health.HostHeaders;
import io.pulley.agent.config.HostPort;
import io.pulley.agent.logging.JulBridge;
import io.pulley.v1.lite.HostPlan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply process (io.pulley.agent.apply.forked): reads one request from standard input, applies
 * its plan with the real executors, writes the run to the file the request names and exits. When
 * its standard input ends, because the agent asked it to stop or died, it stops after the resource
 * in progress.
 */
public final class ApplyMain {
  private static final Logger log = LoggerFactory.getLogger(ApplyMain.class);

  private ApplyMain() {}

  public static void main(String[] args) {
    // What the executors need of the JVM, before any of them loads (the agent's JVM does not
    // apply, so none of this is set there).
    HostHeaders.allow();
    JulBridge.install();
    int status;
    try {
      status = run(System.in);
    } catch (IOException | RuntimeException e) {
      log.error("the apply could not run", e);
      status = 1;
    }
    // JGit and the JDK leave threads behind; the apply is over.
    System.exit(status);
  }

  private static int run(InputStream stdin) throws IOException {
    ApplyRequest request = ApplyRequest.readFrom(stdin);
    AtomicBoolean stop = new AtomicBoolean();
    watchForStop(stdin, stop);
    Applier applier =
        new Applier(
            Executors.forRoots(
                request.allowedRoots(),
                new TcpControllerReach(HostPort.parse(request.controller(), "controller"))),
            request.dataDir().resolve("converge"),
            new ApplyJournal(request.dataDir()),
            Clock.systemUTC());
    Applier.Run run = applier.apply(HostPlan.parseFrom(request.plan()), stop::get);
    Files.write(request.run(), RunBytes.encode(run));
    return 0;
  }

  /** Sets {@code stop} when the agent closes standard input (or anything more arrives on it). */
  private static void watchForStop(InputStream stdin, AtomicBoolean stop) {
    Thread watcher =
        new Thread(
            () -> {
              try {
                stdin.read();
              } catch (IOException e) {
                // A broken pipe means the same: the agent is gone.
              }
              stop.set(true);
            },
            "pulley-apply-stop");
    watcher.setDaemon(true);
    watcher.start();
  }
}
