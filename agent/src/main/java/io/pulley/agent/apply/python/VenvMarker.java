package io.pulley.agent.apply.python;

import io.pulley.agent.files.AtomicWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The file {@code VENV/.pulley-venv}, written last: its presence means the environment is complete
 * for {@code key} (interpreter, system site-packages, requirements, pip arguments) with {@code
 * project} installed (empty for none). Immutable.
 */
record VenvMarker(String key, String project) {
  static final String FILE_NAME = ".pulley-venv";

  static Optional<VenvMarker> read(Path venv) throws IOException {
    Path file = venv.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    String key = fields.get("key");
    // A marker without a key cannot vouch for anything; treat the environment as half-made.
    return key == null || key.isEmpty()
        ? Optional.empty()
        : Optional.of(new VenvMarker(key, fields.getOrDefault("project", "")));
  }

  void write(Path venv) throws IOException {
    String text = "key=" + key + "\nproject=" + project + "\n";
    AtomicWriter.write(venv.resolve(FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
  }
}
