package io.pulley.controller.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Where the CLI finds its controller and credentials: a flag, else an environment variable ({@code
 * PULLEY_CONTROLLER}, {@code PULLEY_CREDENTIALS}, {@code PULLEY_INSECURE=1}), else the config file
 * ({@code $XDG_CONFIG_HOME/pulley/config.yaml}, by default {@code ~/.config/pulley/config.yaml},
 * keys {@code controller} and {@code credentials}), else the defaults: 127.0.0.1:7400 and the
 * {@code credentials} directory beside the config file.
 */
record ClientSettings(String controller, Path credentials, boolean insecure, Path configFile) {
  static final String DEFAULT_CONTROLLER = "127.0.0.1:7400";
  private static final Set<String> KEYS = Set.of("controller", "credentials");

  /** What the command line said; null or false where it said nothing. */
  record Flags(String controller, Path credentials, boolean insecure) {}

  static ClientSettings resolve(Flags flags, Map<String, String> env, Path home) {
    Path configDir = configDir(env, home);
    Path configFile = configDir.resolve("config.yaml");
    Map<String, String> file = read(configFile);
    String controller =
        first(flags.controller(), env.get("PULLEY_CONTROLLER"), file.get("controller"));
    String credentials =
        first(
            flags.credentials() == null ? null : flags.credentials().toString(),
            env.get("PULLEY_CREDENTIALS"),
            file.get("credentials"));
    boolean insecure = flags.insecure() || "1".equals(env.get("PULLEY_INSECURE"));
    return new ClientSettings(
        controller == null ? DEFAULT_CONTROLLER : controller,
        credentials == null ? configDir.resolve("credentials") : Path.of(credentials),
        insecure,
        configFile);
  }

  /** Records {@code controller} in the config file, keeping its other keys. */
  void saveController() {
    Map<String, String> values = new LinkedHashMap<>(read(configFile));
    values.put("controller", controller);
    DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
    try {
      Files.createDirectories(configFile.getParent());
      Files.writeString(
          configFile, new Dump(settings).dumpToString(values), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException(
          "cannot write " + configFile + ": " + e.getMessage(), ExitCodes.FAILED);
    }
  }

  private static Path configDir(Map<String, String> env, Path home) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg == null || xdg.isBlank() ? home.resolve(".config") : Path.of(xdg);
    return base.resolve("pulley");
  }

  private static Map<String, String> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage(), ExitCodes.USAGE);
    }
    Object document;
    try {
      document = new Load(LoadSettings.builder().build()).loadFromString(text);
    } catch (YamlEngineException e) {
      throw new CliException(file + ": not YAML: " + e.getMessage(), ExitCodes.USAGE);
    }
    if (document == null) {
      return Map.of();
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw new CliException(file + ": expected keys controller and credentials", ExitCodes.USAGE);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!KEYS.contains(String.valueOf(entry.getKey()))
          || !(entry.getValue() instanceof String value)) {
        throw new CliException(
            file
                + ": unknown key or not a text value: "
                + entry.getKey()
                + " (known keys: controller, credentials)",
            ExitCodes.USAGE);
      }
      values.put((String) entry.getKey(), value);
    }
    return values;
  }

  private static String first(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }
}
