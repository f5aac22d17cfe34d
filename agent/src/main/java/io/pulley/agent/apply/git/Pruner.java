package io.pulley.agent.apply.git;

import com.google.re2j.Pattern;
import io.pulley.agent.files.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Removes old releases beyond the number to keep. Stateless and thread-safe. */
final class Pruner {
  private static final Pattern RELEASE = Pattern.compile("[0-9a-f]{40}");

  /** A checkout's temporary directory (ReleaseBuilder), left if the agent was killed in it. */
  private static final Pattern CHECKOUT_LEFT = Pattern.compile("\\.[0-9a-f]{40}\\.tmp");

  private Pruner() {}

  /**
   * Deletes the releases switched to longest ago until at most {@code keep} remain, and returns how
   * many were deleted. Releases never switched to count as oldest, in checkout order, then by
   * mtime. The {@code protect}ed releases are never deleted: the one {@code current} points at and
   * the newest checkout, which may be a release being prepared for a later switch. Checkouts a
   * killed agent left half-made are deleted too: a build renames its own before this runs.
   */
  static int prune(
      Path releases,
      ReleaseHistory switches,
      ReleaseHistory checkouts,
      Set<String> protect,
      int keep)
      throws IOException {
    List<String> switchOrder = switches.read();
    List<String> checkoutOrder = checkouts.read();
    List<Path> dirs = new ArrayList<>();
    List<Path> left = new ArrayList<>();
    try (Stream<Path> list = Files.list(releases)) {
      list.filter(p -> CHECKOUT_LEFT.matcher(p.getFileName().toString()).matches())
          .forEach(left::add);
    }
    for (Path dir : left) {
      Trees.delete(dir);
    }
    try (Stream<Path> list = Files.list(releases)) {
      list.filter(p -> RELEASE.matcher(p.getFileName().toString()).matches())
          .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .forEach(dirs::add);
    }
    dirs.sort(
        Comparator.<Path>comparingInt(p -> switchOrder.indexOf(p.getFileName().toString()))
            .thenComparingInt(p -> checkoutOrder.indexOf(p.getFileName().toString()))
            .thenComparing(Pruner::mtime));
    List<String> removed = new ArrayList<>();
    for (int i = 0; i < dirs.size() && dirs.size() - removed.size() > keep; i++) {
      String name = dirs.get(i).getFileName().toString();
      if (!protect.contains(name)) {
        Trees.delete(dirs.get(i));
        removed.add(name);
      }
    }
    switches.forget(removed);
    checkouts.forget(removed);
    return removed.size();
  }

  private static FileTime mtime(Path p) {
    try {
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
