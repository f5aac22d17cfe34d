package io.pulley.agent.apply.python;

import io.pulley.agent.apply.process.ProgramRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The machine's real python3 and tiny installable projects for it. The projects carry their own PEP
 * 517 build backend, so pip builds them offline without setuptools or wheel.
 */
public final class TestPython {
  private static final String BACKEND =
      """
      import base64, hashlib, os, zipfile

      NAME = "@NAME@"
      DIST = NAME + "-1.0"
      INFO = DIST + ".dist-info"


      def _metadata():
          return "Metadata-Version: 2.1\\nName: %s\\nVersion: 1.0\\n" % NAME


      def get_requires_for_build_wheel(config_settings=None):
          return []


      def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
          os.makedirs(os.path.join(metadata_directory, INFO))
          with open(os.path.join(metadata_directory, INFO, "METADATA"), "w") as f:
              f.write(_metadata())
          return INFO


      def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
          here = os.path.dirname(os.path.abspath(__file__))
          files = {}
          for root, _, names in os.walk(os.path.join(here, NAME)):
              for n in names:
                  full = os.path.join(root, n)
                  with open(full, "rb") as f:
                      files[os.path.relpath(full, here)] = f.read()
          files[INFO + "/METADATA"] = _metadata().encode()
          files[INFO + "/WHEEL"] = (
              b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
          record = []
          for path, data in files.items():
              digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
              record.append("%s,sha256=%s,%d" % (path, digest.decode(), len(data)))
          record.append(INFO + "/RECORD,,")
          files[INFO + "/RECORD"] = ("\\n".join(record) + "\\n").encode()
          wheel = DIST + "-py3-none-any.whl"
          with zipfile.ZipFile(os.path.join(wheel_directory, wheel), "w") as z:
              for path, data in files.items():
                  z.writestr(path, data)
          return wheel
      """;

  private static String executable;

  private TestPython() {}

  /** The absolute path of the interpreter that {@code python3} on PATH runs. */
  public static synchronized String executable() {
    if (executable == null) {
      ProgramRunner.Result run = run(List.of("python3", "-c", "import sys; print(sys.executable)"));
      if (!run.succeeded()) {
        throw new IllegalStateException("python3 is needed for these tests: " + run.failure());
      }
      executable = run.stdout().strip();
    }
    return executable;
  }

  /** Runs {@code argv} with the test's own PATH. */
  public static ProgramRunner.Result run(List<String> argv) {
    try {
      return new ProgramRunner()
          .run(
              argv,
              Path.of("/"),
              Map.of("PATH", System.getenv("PATH"), "LANG", "C.UTF-8"),
              new byte[0],
              Duration.ofMinutes(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Writes project {@code name} into {@code dir}; importing it gives {@code VALUE = value}. */
  public static Path project(Path dir, String name, String value) {
    try {
      Files.createDirectories(dir.resolve(name));
      Files.writeString(
          dir.resolve("pyproject.toml"),
          "[build-system]\nrequires = []\nbuild-backend = \"backend\"\nbackend-path = [\".\"]\n");
      Files.writeString(dir.resolve("backend.py"), BACKEND.replace("@NAME@", name));
      Files.writeString(
          dir.resolve(name).resolve("__init__.py"),
          "VALUE = \"" + value + "\"\n",
          StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
