package io.pulley.agent.apply.fs;

import com.google.re2j.Pattern;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Octal permission bits ({@code "0755"}) to and from {@link PosixFilePermission} sets. */
final class Mode {
  private static final Pattern OCTAL = Pattern.compile("0?[0-7]{3}");
  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE,
    PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE,
    PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE,
    PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ,
  };

  private Mode() {}

  /** Whether {@code mode} is three or four octal digits without special bits. */
  static boolean valid(String mode) {
    return OCTAL.matcher(mode).matches();
  }

  static Set<PosixFilePermission> parse(String mode) {
    if (!valid(mode)) {
      throw new IllegalArgumentException(
          "mode '" + mode + "' must be octal like 0644 (setuid, setgid, sticky unsupported)");
    }
    int bits = Integer.parseInt(mode, 8);
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BITS.length; i++) {
      if ((bits & (1 << i)) != 0) {
        perms.add(BITS[i]);
      }
    }
    return perms;
  }

  static String format(Set<PosixFilePermission> perms) {
    int bits = 0;
    for (int i = 0; i < BITS.length; i++) {
      if (perms.contains(BITS[i])) {
        bits |= 1 << i;
      }
    }
    return String.format("0%03o", bits);
  }
}
