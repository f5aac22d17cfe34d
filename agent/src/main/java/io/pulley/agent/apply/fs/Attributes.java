package io.pulley.agent.apply.fs;

import io.pulley.agent.apply.PathGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Owner, group and mode of a path, changed only where they differ from what is wanted; each change
 * is described ("mode 0700→0755"). Stateless and thread-safe.
 */
final class Attributes {

  /** The wanted attributes; empty strings mean "leave as it is". */
  record Wanted(String owner, String group, String mode) {}

  private Attributes() {}

  /** Names the first invalid attribute in {@code wanted}, or returns null if all are valid. */
  static String invalid(Wanted wanted) {
    if (!wanted.mode().isEmpty() && !Mode.valid(wanted.mode())) {
      return "mode '" + wanted.mode() + "' must be octal like 0644 (no setuid/setgid/sticky)";
    }
    return null;
  }

  /**
   * Why a resource at {@code path} with {@code wanted} attributes may not be converged: outside the
   * allowed roots, or an invalid attribute. Empty if it may.
   */
  static Optional<String> refusal(PathGuard guard, String path, Wanted wanted) throws IOException {
    Optional<String> refused = guard.check(path);
    if (refused.isPresent()) {
      return refused;
    }
    return Optional.ofNullable(invalid(wanted));
  }

  /** Applies {@code wanted} to {@code path} and returns what changed. */
  static List<String> apply(Path path, Wanted wanted) throws IOException {
    return converge(path, wanted, true);
  }

  /** What {@link #apply} would change, without changing it. */
  static List<String> diff(Path path, Wanted wanted) throws IOException {
    return converge(path, wanted, false);
  }

  private static List<String> converge(Path path, Wanted wanted, boolean change)
      throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    PosixFileAttributes now = view.readAttributes();
    UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
    List<String> changes = new ArrayList<>();
    if (!wanted.mode().isEmpty()) {
      Set<PosixFilePermission> perms = Mode.parse(wanted.mode());
      if (!perms.equals(now.permissions())) {
        if (change) {
          view.setPermissions(perms);
        }
        changes.add("mode " + Mode.format(now.permissions()) + "→" + Mode.format(perms));
      }
    }
    if (!wanted.owner().isEmpty()) {
      UserPrincipal owner = user(lookup, wanted.owner());
      if (!owner.equals(now.owner())) {
        if (change) {
          view.setOwner(owner);
        }
        changes.add("owner " + now.owner().getName() + "→" + owner.getName());
      }
    }
    if (!wanted.group().isEmpty()) {
      GroupPrincipal group = group(lookup, wanted.group());
      if (!group.equals(now.group())) {
        if (change) {
          view.setGroup(group);
        }
        changes.add("group " + now.group().getName() + "→" + group.getName());
      }
    }
    return changes;
  }

  private static UserPrincipal user(UserPrincipalLookupService lookup, String name)
      throws IOException {
    try {
      return lookup.lookupPrincipalByName(name);
    } catch (UserPrincipalNotFoundException e) {
      throw new IOException("no such user '" + name + "'", e);
    }
  }

  private static GroupPrincipal group(UserPrincipalLookupService lookup, String name)
      throws IOException {
    try {
      return lookup.lookupPrincipalByGroupName(name);
    } catch (UserPrincipalNotFoundException e) {
      throw new IOException("no such group '" + name + "'", e);
    }
  }
}
