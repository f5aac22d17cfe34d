package io.pulley.agent.apply.fs;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.v1.lite.Directory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes a directory exist, with its parents, owner, group and mode. Owner, group or mode changed by
 * hand after an earlier converge are reported as drift. Idempotent; one apply at a time.
 */
public final class DirectoryExecutor implements ResourceExecutor<Directory> {
  static final String NEW_DIRECTORY_MODE = "0755";

  private final PathGuard guard;

  public DirectoryExecutor(PathGuard guard) {
    this.guard = guard;
  }

  @Override
  public Convergence converge(Directory spec, ApplyContext context) throws IOException {
    Attributes.Wanted wanted =
        new Attributes.Wanted(spec.getOwner(), spec.getGroup(), spec.getMode());
    Optional<String> refused = Attributes.refusal(guard, spec.getPath(), wanted);
    if (refused.isPresent()) {
      return Convergence.failed(refused.get());
    }
    Path dir = Path.of(spec.getPath());
    StateMemory memory = new StateMemory(context.stateDir());
    String key = "directory:" + dir;
    String declared = wanted.owner() + ":" + wanted.group() + ":" + wanted.mode();
    boolean convergedBefore = memory.recall(key).filter(declared::equals).isPresent();
    List<String> changes = new ArrayList<>();
    String drift = "";
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      changes.addAll(Attributes.apply(dir, wanted));
      if (convergedBefore && !changes.isEmpty()) {
        drift = "changed outside Pulley: " + String.join(", ", changes);
      }
    } else if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return Convergence.failed(dir + " exists and is not a directory");
    } else {
      createWithParents(dir);
      changes.add("created");
      Attributes.apply(dir, wanted);
      drift = convergedBefore ? "directory was deleted outside Pulley" : "";
    }
    memory.remember(key, declared);
    Convergence c = Convergence.of(changes, "directory is as declared");
    return drift.isEmpty() ? c : c.withDrift(drift);
  }

  /** Creates each missing directory with mode 0755 set explicitly, so the umask plays no part. */
  static void createWithParents(Path dir) throws IOException {
    Path parent = dir.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createWithParents(parent);
    }
    Files.createDirectory(dir);
    Files.setPosixFilePermissions(dir, Mode.parse(NEW_DIRECTORY_MODE));
  }
}
