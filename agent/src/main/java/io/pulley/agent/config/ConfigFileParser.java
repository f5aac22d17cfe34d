package io.pulley.agent.config;

import io.pulley.trust.CaPin;
import io.pulley.trust.TrustException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code agent.yaml}: a strict subset of YAML, parsed by hand because the agent carries no
 * YAML library.
 *
 * <p>Accepted: blank lines; {@code #} comments (whole lines, or after a value preceded by a space);
 * {@code key: value} lines at column 0, the value optionally in single or double quotes; {@code
 * labels:} followed by lines indented with spaces holding {@code key: value}; {@code
 * allowed_roots:} followed by indented {@code - /path} lines ({@code labels: {}} and {@code
 * allowed_roots: []} mean empty). Keys: controller, host_id, data_dir, labels, allowed_roots,
 * metrics_listen, reconverge_interval and poll_hold (seconds, or with a unit: 30m), token_file,
 * ca_pin, insecure (true or false). Anything else is an error naming the file and line. Stateless
 * and thread-safe.
 */
public final class ConfigFileParser {
  static final List<String> KEYS =
      List.of(
          "controller",
          "host_id",
          "data_dir",
          "labels",
          "allowed_roots",
          "metrics_listen",
          "reconverge_interval",
          "poll_hold",
          "token_file",
          "ca_pin",
          "insecure");

  private enum Block {
    NONE,
    LABELS,
    ROOTS
  }

  /**
   * Applies the settings in {@code file} to {@code builder}.
   *
   * @param required false for the default path: a missing file then means "all defaults"
   */
  public void parse(Path file, boolean required, AgentConfig.Builder builder)
      throws ConfigException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      if (required) {
        throw new ConfigException(file + ": no such file");
      }
      return;
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    new Run(file, builder).parse(lines);
  }

  /** The state of parsing one file. */
  private static final class Run {
    private final Path file;
    private final AgentConfig.Builder builder;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<Path> roots = new ArrayList<>();
    private Block block = Block.NONE;
    private int blockIndent = -1;
    private int lineNo;

    Run(Path file, AgentConfig.Builder builder) {
      this.file = file;
      this.builder = builder;
    }

    void parse(List<String> lines) throws ConfigException {
      for (String raw : lines) {
        lineNo++;
        line(raw);
      }
      if (seen.contains("labels")) {
        builder.labels(labels);
      }
      if (seen.contains("allowed_roots")) {
        builder.allowedRoots(roots);
      }
    }

    private void line(String raw) throws ConfigException {
      if (raw.indexOf('\t') >= 0) {
        throw error("tabs are not allowed; indent with spaces");
      }
      String trimmed = raw.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        return;
      }
      int indent = raw.length() - raw.stripLeading().length();
      if (indent == 0) {
        block = Block.NONE;
        topLevel(trimmed);
      } else if (block == Block.NONE) {
        throw error("unexpected indentation (only items under labels: or allowed_roots:)");
      } else {
        if (blockIndent < 0) {
          blockIndent = indent;
        } else if (indent != blockIndent) {
          throw error("bad indentation: expected " + blockIndent + " spaces, got " + indent);
        }
        if (block == Block.LABELS) {
          label(trimmed);
        } else {
          root(trimmed);
        }
      }
    }

    private void topLevel(String text) throws ConfigException {
      int colon = text.indexOf(':');
      if (colon <= 0) {
        throw error("expected 'key: value'");
      }
      String key = text.substring(0, colon);
      if (!KEYS.contains(key)) {
        throw error("unknown key '" + key + "' (known keys: " + String.join(", ", KEYS) + ")");
      }
      if (!seen.add(key)) {
        throw error("duplicate key '" + key + "'");
      }
      String value = value(text.substring(colon + 1));
      switch (key) {
        case "labels" -> startBlock(Block.LABELS, value, "{}");
        case "allowed_roots" -> startBlock(Block.ROOTS, value, "[]");
        case "controller" -> builder.controller(address(value));
        case "host_id" -> builder.hostId(value);
        case "data_dir" -> builder.dataDir(absolute(value));
        case "metrics_listen" -> builder.metricsListen(value.isEmpty() ? value : listen(value));
        case "reconverge_interval" -> builder.reconvergeInterval(interval(value));
        case "poll_hold" -> builder.pollHold(pollHold(value));
        case "token_file" -> builder.tokenFile(absolute(value));
        case "ca_pin" -> builder.caPin(pin(value));
        case "insecure" -> builder.insecure(bool(value));
        default -> throw new IllegalStateException("unhandled key " + key);
      }
    }

    private void startBlock(Block kind, String value, String empty) throws ConfigException {
      if (value.equals(empty)) {
        return;
      }
      if (!value.isEmpty()) {
        throw error("expected nothing after ':' here; list the entries on indented lines below");
      }
      block = kind;
      blockIndent = -1;
    }

    private void label(String text) throws ConfigException {
      int colon = text.indexOf(':');
      if (colon <= 0 || text.startsWith("-")) {
        throw error("expected an indented 'key: value' label");
      }
      String key = unquote(text.substring(0, colon).strip());
      if (labels.put(key, value(text.substring(colon + 1))) != null) {
        throw error("duplicate label '" + key + "'");
      }
    }

    private void root(String text) throws ConfigException {
      if (!text.startsWith("- ")) {
        throw error("expected an indented '- /path' entry");
      }
      roots.add(absolute(value(text.substring(2))));
    }

    /** A bare port or ":PORT" means loopback; see {@link HostPort#parseListen}. */
    private String listen(String value) throws ConfigException {
      try {
        return HostPort.parseListen(value, "the address").toString();
      } catch (IllegalArgumentException e) {
        throw error(e.getMessage());
      }
    }

    private String address(String value) throws ConfigException {
      try {
        HostPort.parse(value, "the address");
        return value;
      } catch (IllegalArgumentException e) {
        throw error(e.getMessage());
      }
    }

    private Duration interval(String value) throws ConfigException {
      try {
        return Interval.parse(value);
      } catch (IllegalArgumentException e) {
        throw error(e.getMessage());
      }
    }

    private Duration pollHold(String value) throws ConfigException {
      Duration hold = interval(value);
      try {
        AgentConfig.checkPollHold(hold);
        return hold;
      } catch (IllegalArgumentException e) {
        throw error(e.getMessage());
      }
    }

    private CaPin pin(String value) throws ConfigException {
      try {
        return CaPin.parse(value);
      } catch (TrustException e) {
        throw error("ca_pin '" + value + "': " + e.getMessage());
      }
    }

    private boolean bool(String value) throws ConfigException {
      return switch (value) {
        case "true" -> true;
        case "false" -> false;
        default -> throw error("expected true or false, got '" + value + "'");
      };
    }

    private Path absolute(String value) throws ConfigException {
      Path path = Path.of(value);
      if (!path.isAbsolute() || !path.normalize().equals(path)) {
        throw error("'" + value + "' is not an absolute, normalised path");
      }
      return path;
    }

    /** Strips spaces, a trailing comment and matching quotes. */
    private String value(String text) throws ConfigException {
      String v = text.strip();
      if (v.startsWith("\"") || v.startsWith("'")) {
        char quote = v.charAt(0);
        int end = v.indexOf(quote, 1);
        if (end < 0) {
          throw error("unterminated quoted value");
        }
        String rest = v.substring(end + 1).strip();
        if (!rest.isEmpty() && !rest.startsWith("#")) {
          throw error("unexpected text after the quoted value: " + rest);
        }
        return v.substring(1, end);
      }
      int comment = v.indexOf(" #");
      return comment >= 0 ? v.substring(0, comment).strip() : v;
    }

    private String unquote(String key) throws ConfigException {
      return key.startsWith("\"") || key.startsWith("'") ? value(key) : key;
    }

    private ConfigException error(String reason) {
      return new ConfigException(file + ":" + lineNo + ": " + reason);
    }
  }
}
