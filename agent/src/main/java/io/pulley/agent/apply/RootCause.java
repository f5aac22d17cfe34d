package io.pulley.agent.apply;

import java.nio.file.FileSystemException;
import java.util.List;

/**
 * Puts what the system said first in a failure's reason, so that a reason cut for a table still
 * names the cause: "No space left on device" before a long path, or before "installing the project
 * failed: exit status 1" when only the command's output said it. Stateless.
 */
public final class RootCause {
  /** What the kernel and libc say (strerror) about the causes an admin fixes on the server. */
  private static final List<String> KNOWN =
      List.of(
          "No space left on device",
          "Disk quota exceeded",
          "Read-only file system",
          "Cannot allocate memory",
          "Too many open files",
          "Input/output error");

  private RootCause() {}

  /** {@code reason}, led by a known cause that it or {@code outputTail} names. */
  public static String first(String reason, String outputTail) {
    for (String cause : KNOWN) {
      if (reason.startsWith(cause)) {
        return reason;
      }
      if (reason.contains(cause) || outputTail.contains(cause)) {
        return cause + " — " + reason;
      }
    }
    return reason;
  }

  /**
   * One line for an exception: a file system failure as its cause, then the files ("No space left
   * on device (/srv/app/releases/…/file)"), any other as its type and first line.
   */
  public static String of(Exception e) {
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      String files =
          fs.getFile() == null
              ? ""
              : " ("
                  + fs.getFile()
                  + (fs.getOtherFile() == null ? "" : ", " + fs.getOtherFile())
                  + ")";
      return fs.getReason() + files;
    }
    String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    String type = e.getClass() == java.io.IOException.class ? "" : e.getClass().getSimpleName();
    if (type.isEmpty()) {
      return message;
    }
    return message.isEmpty() ? type : type + ": " + message;
  }
}
