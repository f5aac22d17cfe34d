package io.pulley.agent.apply.firewall;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A host firewall for unit tests: records each call, keeps the "loaded" ruleset as the text of the
 * file last loaded, and fails the calls a test asks it to.
 */
final class RecordingFirewall implements HostFirewall {
  final List<String> calls = new ArrayList<>();
  final Set<Integer> sshd = new TreeSet<>();
  Optional<String> loaded = Optional.empty();
  Optional<String> checkFailure = Optional.empty();
  Optional<String> armFailure = Optional.empty();
  boolean armed;

  @Override
  public Set<Integer> sshdPorts() {
    return sshd;
  }

  @Override
  public Optional<String> check(Path file) {
    calls.add("check " + file.getFileName());
    return checkFailure;
  }

  @Override
  public Optional<String> load(Path file) {
    calls.add("load " + file.getFileName());
    String text = read(file);
    loaded = text.equals(HostRuleset.EMPTY) ? Optional.empty() : Optional.of(text);
    return Optional.empty();
  }

  @Override
  public Optional<String> listing() {
    return loaded.map(text -> "listed " + text.hashCode());
  }

  @Override
  public Optional<String> armRevert(Path file, Duration delay) {
    calls.add("arm " + file.getFileName() + " " + delay.toSeconds() + "s");
    armed = armFailure.isEmpty();
    return armFailure;
  }

  @Override
  public Optional<String> loadAtBoot(Path ruleset) {
    calls.add("at boot " + ruleset.getFileName());
    return Optional.empty();
  }

  @Override
  public void disarmRevert() {
    calls.add("disarm");
    armed = false;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
