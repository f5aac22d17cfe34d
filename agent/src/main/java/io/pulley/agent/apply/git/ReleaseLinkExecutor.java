package io.pulley.agent.apply.git;

import com.google.re2j.Pattern;
import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.v1.lite.ReleaseLink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Points ROOT/current at a release a {@code GitRelease} with {@code checkout_only} prepared, and
 * prunes old releases; a rollback is a link to an older release still on disk. {@code current}
 * moved by hand is reported as drift and put back. Idempotent; one apply at a time.
 */
public final class ReleaseLinkExecutor implements ResourceExecutor<ReleaseLink> {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  private final PathGuard guard;

  public ReleaseLinkExecutor(PathGuard guard) {
    this.guard = guard;
  }

  @Override
  public Convergence converge(ReleaseLink spec, ApplyContext context) throws IOException {
    Optional<String> refused = guard.check(spec.getRoot());
    if (refused.isPresent()) {
      return Convergence.failed(refused.get());
    }
    if (!COMMIT.matcher(spec.getCommit()).matches()) {
      return Convergence.failed("commit '" + spec.getCommit() + "' is not a 40-hex-digit id");
    }
    if (spec.getKeep() < 0) {
      return Convergence.failed("keep must not be negative, got " + spec.getKeep());
    }
    Path root = Path.of(spec.getRoot());
    Optional<String> layout = guard.check(ReleaseLinker.writtenPaths(root, spec.getCommit()));
    if (layout.isPresent()) {
      return Convergence.failed(layout.get());
    }
    Path release = root.resolve("releases").resolve(spec.getCommit());
    if (!Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS)) {
      return Convergence.failed(
          "release " + release + " is not checked out (a GitRelease must come first)");
    }
    ReleaseLinker.Result linked = ReleaseLinker.link(root, spec.getCommit(), spec.getKeep());
    Convergence c =
        Convergence.of(
            linked.changes(), "current is " + ReleaseLinker.abbreviate(spec.getCommit()));
    return linked.drift().isEmpty() ? c : c.withDrift(linked.drift());
  }
}
