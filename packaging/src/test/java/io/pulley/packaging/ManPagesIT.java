package io.pulley.packaging;

import static io.pulley.packaging.BuiltPackages.AGENT;
import static io.pulley.packaging.BuiltPackages.CONTROLLER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each daemon's man page names every option its program takes: the options are read from the
 * packaged program's own usage, so an option added without its man page line fails here.
 */
class ManPagesIT {
  /** Options of the CLI that `serve` shares without using them: pulley(1) describes them. */
  private static final Set<String> CLIENT_OPTIONS =
      Set.of("--controller", "--credentials", "--output");

  /** picocli's own: every program has them. */
  private static final Set<String> STANDARD_OPTIONS = Set.of("--help", "--version");

  @TempDir Path tmp;

  @Test
  void controllerManPage_namesEveryServeOption() throws IOException {
    Path root = BuiltPackages.unpack(CONTROLLER, tmp.resolve("controller"));
    List<String> options =
        options(usage(root.resolve("usr/share/pulley/pulley-controller.jar"), "serve", "--help"));

    assertThat(options).contains("--insecure", "--advertise", "--webhook-tls-cert");
    assertThat(manPage(root.resolve("usr/share/man/man8/pulley-controller.8.gz")))
        .contains(options.stream().filter(o -> !CLIENT_OPTIONS.contains(o)).toList());
  }

  @Test
  void agentManPage_namesEveryOption() throws IOException {
    Path root = BuiltPackages.unpack(AGENT, tmp.resolve("agent"));
    List<String> options =
        options(usage(root.resolve("usr/share/pulley/pulley-agent.jar"), "--help"));

    assertThat(options).contains("--token-file", "--once");
    assertThat(manPage(root.resolve("usr/share/man/man8/pulley-agent.8.gz")))
        .contains(options.stream().filter(o -> !STANDARD_OPTIONS.contains(o)).toList());
  }

  private Run usage(Path jar, String... args) {
    List<String> argv = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    argv.addAll(List.of(args));
    return Run.of(tmp, Map.of(), Duration.ofMinutes(1), argv);
  }

  /** The long options a usage describes: each description line starts with one. */
  private static List<String> options(Run usage) {
    List<String> options = new ArrayList<>();
    for (String line : usage.output().lines().toList()) {
      String option = line.strip();
      if (option.startsWith("-") && option.length() > 4 && option.charAt(2) == ',') {
        option = option.substring(4); // "-o, --output=FORMAT"
      }
      if (!option.startsWith("--")) {
        continue;
      }
      int end = 2;
      while (end < option.length()
          && (Character.isLetterOrDigit(option.charAt(end)) || option.charAt(end) == '-')) {
        end++;
      }
      options.add(option.substring(0, end));
    }
    assertThat(options).as(usage.output()).isNotEmpty();
    return options;
  }

  /** The page's text with roff's escaped hyphens ("\-") read as hyphens. */
  private static String manPage(Path gz) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\\-", "-");
    }
  }
}
