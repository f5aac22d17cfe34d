package io.pulley.packaging.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The same package with a lower version, so that installing the real build over it is an upgrade as
 * dpkg sees one (maintainer scripts called with "upgrade", the service restarted).
 */
final class OlderPackage {
  private OlderPackage() {}

  static Path of(Path deb, Path work) throws IOException, InterruptedException {
    Path tree = work.resolve("older-tree");
    run("dpkg-deb", "-R", deb.toString(), tree.toString());
    Path control = tree.resolve("DEBIAN/control");
    String version = version(deb);
    String text = Files.readString(control);
    Files.writeString(
        control, text.replace("Version: " + version + "\n", "Version: " + older(version) + "\n"));
    Path out = work.resolve("older.deb");
    run("dpkg-deb", "--root-owner-group", "-b", tree.toString(), out.toString());
    return out;
  }

  static String version(Path deb) throws IOException, InterruptedException {
    return run("dpkg-deb", "-f", deb.toString(), "Version").strip();
  }

  /**
   * "0~older" is lower than any version that starts with a digit: after the common "0", dpkg sorts
   * "~" before everything, even before the end of the string.
   */
  private static String older(String version) {
    if (!Character.isDigit(version.charAt(0)) || version.contains(":")) {
      throw new IllegalArgumentException("cannot make a lower version than " + version);
    }
    return "0~older";
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }
}
