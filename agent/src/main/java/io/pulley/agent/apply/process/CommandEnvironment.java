package io.pulley.agent.apply.process;

import io.pulley.v1.lite.Command;
import io.pulley.wire.EnvironmentFileFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a {@link Command} runs in: {@link CommandRunner#BASE_ENV}, the user's HOME, the
 * variables of its {@code env_file} read as systemd reads an EnvironmentFile=, then its {@code
 * env}. The file's values (secrets among them) go to the process's environment only. Stateless and
 * thread-safe.
 */
public final class CommandEnvironment {
  /** The largest environment file read: far more than any stack writes. */
  static final int MAX_FILE_BYTES = 1024 * 1024;

  private CommandEnvironment() {}

  /**
   * The environment of {@code spec}, run with {@code home} as HOME if given.
   *
   * @throws IOException when its environment file is not an absolute path to a readable regular
   *     file of at most {@value #MAX_FILE_BYTES} bytes; the message names the file, never a value
   */
  public static Map<String, String> of(Command spec, Optional<String> home) throws IOException {
    Map<String, String> env = new LinkedHashMap<>(CommandRunner.BASE_ENV);
    home.ifPresent(h -> env.put("HOME", h));
    if (!spec.getEnvFile().isEmpty()) {
      env.putAll(read(spec.getEnvFile()));
    }
    env.putAll(spec.getEnvMap());
    return env;
  }

  /** The variables of the environment file at {@code path}. */
  static Map<String, String> read(String path) throws IOException {
    Path file = Path.of(path);
    if (!file.isAbsolute()) {
      throw new IOException("environment file " + path + " is not an absolute path");
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("environment file " + path + " does not exist or is not a file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IOException(
          "environment file " + path + " is larger than " + MAX_FILE_BYTES + " bytes");
    }
    return EnvironmentFileFormat.parse(new String(bytes, StandardCharsets.UTF_8));
  }
}
