package io.pulley.agent.apply.handover;

import com.google.re2j.Pattern;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.accounts.AccountNames;
import io.pulley.v1.lite.Handover;
import io.pulley.v1.lite.HandoverMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * What a Handover must satisfy before the agent acts on it: names that systemd and the file system
 * take literally, and paths where the agent may write. Stateless.
 */
final class HandoverRules {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern TEMPLATE = Pattern.compile("[A-Za-z0-9_.:-]+@\\.service");
  private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9_.:-]+\\.service");
  private static final Pattern RUN_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  /** What Pulley keeps directly in ROOT, which a cache directory must not be. */
  private static final Set<String> PULLEY_DIRS =
      Set.of(".", "..", "releases", "shared", "current", "dumps", ".pulley");

  private HandoverRules() {}

  /**
   * Empty if {@code spec} may be converged, else why not.
   *
   * @param runRoot where runtime directories are: /run
   */
  static Optional<String> refusal(Handover spec, PathGuard guard, Path runRoot) throws IOException {
    if (!COMMIT.matcher(spec.getCommit()).matches()) {
      return Optional.of("commit '" + spec.getCommit() + "' is not a 40-hex-digit id");
    }
    if (spec.getMode() == HandoverMode.UNRECOGNIZED) {
      return Optional.of("mode " + spec.getModeValue() + " is not known to this agent");
    }
    Optional<String> root = guard.check(spec.getRoot());
    if (root.isPresent()) {
      return root;
    }
    if (!TEMPLATE.matcher(spec.getWebUnit()).matches()) {
      return Optional.of(
          "web_unit '" + spec.getWebUnit() + "' is not a template such as a@.service");
    }
    if (!spec.getWorkerUnit().isEmpty() && !TEMPLATE.matcher(spec.getWorkerUnit()).matches()) {
      return Optional.of(
          "worker_unit '" + spec.getWorkerUnit() + "' is not a template such as a@.service");
    }
    if (!spec.getWorkerUnit().isEmpty() && spec.getWorkerCelery().getArgvCount() == 0) {
      return Optional.of("worker_celery is required with a worker_unit");
    }
    if (!spec.getWorkerCelery().getUser().isEmpty()) {
      Optional<String> user =
          AccountNames.refusal("worker_celery.user", spec.getWorkerCelery().getUser());
      if (user.isPresent()) {
        return user;
      }
    }
    for (String unit : spec.getRetiredWebUnitsList()) {
      if (!UNIT.matcher(unit).matches()) {
        return Optional.of("retired unit '" + unit + "' is not a service name");
      }
    }
    for (String unit : spec.getRetiredWorkerUnitsList()) {
      if (!UNIT.matcher(unit).matches()) {
        return Optional.of("retired unit '" + unit + "' is not a service name");
      }
    }
    Path runDir = Path.of(spec.getRunDir());
    if (!runRoot.equals(runDir.getParent())
        || !RUN_NAME.matcher(runDir.getFileName().toString()).matches()) {
      return Optional.of(
          "run_dir '" + spec.getRunDir() + "' is not a directory directly in " + runRoot);
    }
    // The links live beside the sockets: nothing outside the runtime directory is replaced.
    for (String link : new String[] {spec.getSocketLink(), spec.getHttpSocketLink()}) {
      if (!link.isEmpty() && !Path.of(spec.getRunDir()).equals(Path.of(link).getParent())) {
        return Optional.of("socket link '" + link + "' is not directly in " + spec.getRunDir());
      }
    }
    if (spec.getSocketLink().isEmpty()) {
      return Optional.of("socket_link is required");
    }
    Optional<String> cache = cacheDirRefusal(spec, guard);
    if (cache.isPresent()) {
      return cache;
    }
    if (spec.getDrainSeconds() < 0) {
      return Optional.of("drain_seconds must not be negative: " + spec.getDrainSeconds());
    }
    return Optional.empty();
  }

  /**
   * The cache directory is emptied at each release: a directory of its own directly in ROOT, inside
   * the allowed roots, so that no plan makes the agent delete anything else.
   */
  private static Optional<String> cacheDirRefusal(Handover spec, PathGuard guard)
      throws IOException {
    if (spec.getCacheDir().isEmpty()) {
      return Optional.empty();
    }
    Path cache = Path.of(spec.getCacheDir());
    String name = cache.getFileName() == null ? "" : cache.getFileName().toString();
    if (!Path.of(spec.getRoot()).equals(cache.getParent())
        || !RUN_NAME.matcher(name).matches()
        || PULLEY_DIRS.contains(name)) {
      return Optional.of(
          "cache_dir '"
              + spec.getCacheDir()
              + "' is not a directory of its own directly in "
              + spec.getRoot());
    }
    return guard.check(spec.getCacheDir());
  }
}
