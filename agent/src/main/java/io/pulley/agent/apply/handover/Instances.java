package io.pulley.agent.apply.handover;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The names that belong to one instance of a template unit: "shop-uwsgi@.service" with instance
 * COMMIT is the unit "shop-uwsgi@COMMIT.service", whose uWSGI listens on RUN_DIR/COMMIT.sock, reads
 * commands from RUN_DIR/COMMIT.fifo and creates RUN_DIR/COMMIT.ready once it accepts. Immutable.
 *
 * @param template a template unit name, such as "shop-uwsgi@.service"
 * @param runDir the runtime directory of the instances' sockets
 */
record Instances(String template, Path runDir) {

  String unit(String instance) {
    return prefix() + instance + suffix();
  }

  /** A systemctl glob matching every instance. */
  String pattern() {
    return prefix() + "*" + suffix();
  }

  /** The instance of {@code unit}, if it is one of this template's. */
  Optional<String> instanceOf(String unit) {
    if (unit.startsWith(prefix()) && unit.endsWith(suffix())) {
      return Optional.of(unit.substring(prefix().length(), unit.length() - suffix().length()));
    }
    return Optional.empty();
  }

  Path socket(String instance) {
    return runDir.resolve(instance + ".sock");
  }

  Path httpSocket(String instance) {
    return runDir.resolve(instance + ".http.sock");
  }

  Path stats(String instance) {
    return runDir.resolve(instance + ".stats");
  }

  Path fifo(String instance) {
    return runDir.resolve(instance + ".fifo");
  }

  Path ready(String instance) {
    return runDir.resolve(instance + ".ready");
  }

  /** The instance whose socket {@code target} (a socket link's target) names, if any. */
  static Optional<String> ofSocket(Path target) {
    String name = target.getFileName().toString();
    if (!name.endsWith(".sock") || name.endsWith(".http.sock")) {
      return Optional.empty();
    }
    return Optional.of(name.substring(0, name.length() - ".sock".length()));
  }

  private String prefix() {
    return template.substring(0, template.indexOf('@') + 1);
  }

  private String suffix() {
    return template.substring(template.indexOf('@') + 1);
  }
}
