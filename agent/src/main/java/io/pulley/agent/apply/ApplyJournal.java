package io.pulley.agent.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pulley.agent.files.AtomicWriter;
import io.pulley.v1.lite.InterruptedApply;
import io.pulley.v1.lite.Timestamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which apply is running and which resource it is on, kept on disk while it runs and removed when
 * it ends. A file still there when an apply begins means the last one was cut short (SIGKILL, a
 * crash, a reboot, or a stop between two resources): the next report says so and where, and the
 * agent resumes at start even if that plan had been applied before. A failure to write it is logged
 * and never fails an apply: losing it only loses the note. Used from the apply thread only.
 */
public final class ApplyJournal {
  private static final Logger log = LoggerFactory.getLogger(ApplyJournal.class);
  private static final String FILE = "apply-in-progress.pb";

  private final Path file;
  private InterruptedApply.Builder current;

  /** A journal kept in {@code dataDir}, the agent's own (root-only) directory. */
  public ApplyJournal(Path dataDir) {
    this.file = dataDir.resolve(FILE);
  }

  /** The apply that an earlier run left unfinished, if any. */
  public Optional<InterruptedApply> interrupted() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("cannot read {}: {}", file, e.getMessage());
      return Optional.empty();
    }
    try {
      return Optional.of(InterruptedApply.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      // Written atomically, so this is damage from outside; it still says an apply was running.
      return Optional.of(InterruptedApply.getDefaultInstance());
    }
  }

  /** An apply of {@code planId} begins. */
  void begin(String planId, Instant started) {
    current =
        InterruptedApply.newBuilder()
            .setPlanId(planId)
            .setStartedAt(
                Timestamp.newBuilder()
                    .setSeconds(started.getEpochSecond())
                    .setNanos(started.getNano()));
    save();
  }

  /** It goes on to converge one resource. */
  void converging(String application, String environment, String resourceId) {
    current.setApplication(application).setEnvironment(environment).setResourceId(resourceId);
    save();
  }

  /** It was cut short by a stop request, between two resources. */
  void stopped() {
    current.setStopped(true);
    save();
  }

  /** It reached its end, whatever the outcome. */
  void end() {
    current = null;
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", file, e.getMessage());
    }
  }

  private void save() {
    try {
      AtomicWriter.write(file, current.build().toByteArray());
    } catch (IOException e) {
      log.warn("cannot record the apply's progress in {}: {}", file, e.getMessage());
    }
  }
}
