package io.pulley.agent.state;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.pulley.agent.files.AtomicWriter;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.HostPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's durable state in its data dir: the received plan (written before acting on it), the
 * id of the plan last applied, the last report and the report not yet delivered. Every write is
 * atomic and owner-only. Not thread-safe: only the poll loop uses it.
 */
public final class StateStore {
  private static final Logger log = LoggerFactory.getLogger(StateStore.class);

  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");

  private final Path plan;
  private final Path appliedPlanId;
  private final Path lastReport;
  private final Path pendingReport;

  /**
   * The saved plan's id and the applied one, kept once known (null until then): every poll asks,
   * and reading them again would parse the whole plan, up to tens of MB, once a minute. Only this
   * store writes the files (the data dir is locked to one agent), so the copies stay true.
   */
  private Optional<String> savedPlanId;

  private String appliedId;

  public StateStore(Path dataDir) throws IOException {
    plan = dataDir.resolve("plan.pb");
    appliedPlanId = dataDir.resolve("applied-plan-id");
    lastReport = dataDir.resolve("last-report.pb");
    pendingReport = dataDir.resolve("pending-report.pb");
    restrict(dataDir);
  }

  /**
   * The plan holds the applications' secrets: the data dir is root's alone (0700, its state files
   * 0600), created so whatever the umask, and tightened where an older install left it open.
   */
  private void restrict(Path dataDir) throws IOException {
    Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
    Files.setPosixFilePermissions(dataDir, OWNER_ONLY_DIR);
    for (Path file : List.of(plan, appliedPlanId, lastReport, pendingReport)) {
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
      }
    }
  }

  public void savePlan(HostPlan value) throws IOException {
    AtomicWriter.write(plan, value.toByteArray());
    savedPlanId = Optional.of(value.getPlanId());
  }

  public Optional<HostPlan> plan() throws IOException {
    Optional<HostPlan> saved = read(plan, HostPlan.parser());
    savedPlanId = saved.map(HostPlan::getPlanId);
    return saved;
  }

  /** The id of the saved plan, or empty if there is none; read from disk only the first time. */
  public Optional<String> planId() throws IOException {
    if (savedPlanId == null) {
      plan();
    }
    return savedPlanId;
  }

  /** Records that {@code planId} was applied to the end (successfully or not). */
  public void markApplied(String planId) throws IOException {
    AtomicWriter.write(appliedPlanId, planId.getBytes(StandardCharsets.UTF_8));
    appliedId = planId;
  }

  /** The id of the plan last applied to the end, or empty; read from disk only the first time. */
  public String appliedPlanId() throws IOException {
    if (appliedId == null) {
      try {
        appliedId = Files.readString(appliedPlanId, StandardCharsets.UTF_8).strip();
      } catch (NoSuchFileException e) {
        appliedId = "";
      }
    }
    return appliedId;
  }

  /** Keeps {@code report} as the last one and as pending delivery. */
  public void saveReport(ApplyReport report) throws IOException {
    AtomicWriter.write(lastReport, report.toByteArray());
    AtomicWriter.write(pendingReport, report.toByteArray());
  }

  public Optional<ApplyReport> lastReport() throws IOException {
    return read(lastReport, ApplyReport.parser());
  }

  public Optional<ApplyReport> pendingReport() throws IOException {
    return read(pendingReport, ApplyReport.parser());
  }

  /** The pending report was delivered. */
  public void reportDelivered() throws IOException {
    Files.deleteIfExists(pendingReport);
  }

  private static <T extends MessageLite> Optional<T> read(Path file, Parser<T> parser)
      throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      // Writes are atomic, so this is outside damage; acting as if absent lets the agent recover.
      log.warn("ignoring unreadable state file {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }
}
