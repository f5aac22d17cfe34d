package io.pulley.agent.apply.python;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What pip needs to install a release's project, and what to tell the admin when it cannot.
 * Stateless.
 */
final class ProjectInstall {
  /** The files that make a directory a Python project pip can install. */
  private static final String[] METADATA = {"pyproject.toml", "setup.py", "setup.cfg"};

  /**
   * Build backends' top-level modules and the Debian packages that carry them, as Debian 12's and
   * 13's file lists say: flit_core is in the package {@code flit}, there is no python3-flit-core.
   */
  private static final Map<String, String> BACKEND_PACKAGES =
      Map.of(
          "flit_core", "flit",
          "hatchling", "python3-hatchling",
          "poetry", "python3-poetry-core",
          "pdm", "python3-pdm-backend",
          "setuptools", "python3-setuptools",
          "mesonpy", "python3-mesonpy",
          "scikit_build_core", "python3-scikit-build-core",
          "maturin", "python3-maturin");

  private static final String BACKEND_UNAVAILABLE = "BackendUnavailable";

  /** How pip names the missing module: newer pips say the first, Debian 12's pip the second. */
  private static final String[] MISSING_MODULE = {"Cannot import '", "No module named '"};

  private ProjectInstall() {}

  /**
   * False for a directory without packaging metadata (most Django projects): there is nothing to
   * install, and the code runs from the release directory, where uWSGI, Celery and the commands
   * start.
   */
  static boolean installable(Path project) {
    for (String file : METADATA) {
      if (Files.isRegularFile(project.resolve(file))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A hint for pip's output when the project's build backend is missing: pip installs it from no
   * index, so it must come from a Debian package seen through system site packages.
   */
  static Optional<String> hint(String pipOutput) {
    if (!pipOutput.contains(BACKEND_UNAVAILABLE)) {
      return Optional.empty();
    }
    for (String phrase : MISSING_MODULE) {
      int at = pipOutput.lastIndexOf(phrase);
      if (at >= 0) {
        return hintFor(pipOutput, at + phrase.length());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> hintFor(String pipOutput, int start) {
    int end = start;
    while (end < pipOutput.length() && isModuleChar(pipOutput.charAt(end))) {
      end++;
    }
    String module = pipOutput.substring(start, end);
    int dot = module.indexOf('.');
    String top = dot < 0 ? module : module.substring(0, dot);
    if (top.isEmpty()) {
      return Optional.empty();
    }
    String name = BACKEND_PACKAGES.getOrDefault(top, "the Debian package that provides " + top);
    return Optional.of(
        "the project's build backend "
            + top
            + " is not installed: add "
            + name
            + " to stack.packages and set python.system_site_packages (no package index is"
            + " used)");
  }

  private static boolean isModuleChar(char c) {
    return c == '_' || c == '.' || Character.isLetterOrDigit(c) && c < 0x80;
  }
}
