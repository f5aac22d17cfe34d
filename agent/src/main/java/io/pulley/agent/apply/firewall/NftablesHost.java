package io.pulley.agent.apply.firewall;

import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.ProgramRunner;
import io.pulley.agent.files.AtomicWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The real {@link HostFirewall}: {@code nft} for the ruleset, {@code sshd -T} for sshd's ports, and
 * a transient systemd timer ({@code systemd-run --on-active}) for the revert, which systemd runs
 * whatever happens to the agent. Thread-safe.
 */
final class NftablesHost implements HostFirewall {
  static final String REVERT_UNIT = "pulley-firewall-revert";
  private static final Path NFT = Path.of("/usr/sbin/nft");
  private static final Path SSHD = Path.of("/usr/sbin/sshd");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final ProgramRunner runner = new ProgramRunner();
  private final List<String> nftPrefix;

  NftablesHost() {
    this(List.of());
  }

  /**
   * @param nftPrefix put before every nft command, such as {@code ip netns exec NAME} for a test in
   *     its own network namespace
   */
  NftablesHost(List<String> nftPrefix) {
    this.nftPrefix = List.copyOf(nftPrefix);
  }

  @Override
  public Set<Integer> sshdPorts() throws InterruptedException {
    Set<Integer> ports = new TreeSet<>();
    if (!Files.isExecutable(SSHD)) {
      return ports;
    }
    ProgramRunner.Result config = run(List.of(SSHD.toString(), "-T"));
    if (!config.succeeded()) {
      return ports; // no host keys yet, or a broken config: 22 and the manifest's ports stay open
    }
    for (String line : config.stdout().lines().toList()) {
      if (line.startsWith("port ")) {
        try {
          ports.add(FirewallPart.port("sshd port", Integer.parseInt(line.substring(5).strip())));
        } catch (IllegalArgumentException e) {
          // not a port sshd could listen on: nothing to keep open for it
        }
      }
    }
    return ports;
  }

  @Override
  public Optional<String> check(Path file) throws InterruptedException {
    return failure(run(nft("--check", "--file", file.toString())));
  }

  @Override
  public Optional<String> load(Path file) throws InterruptedException {
    return failure(run(nft("--file", file.toString())));
  }

  @Override
  public Optional<String> listing() throws InterruptedException {
    ProgramRunner.Result listed = run(nft("--stateless", "list", "table", "inet", "pulley"));
    return listed.succeeded() ? Optional.of(listed.stdout()) : Optional.empty();
  }

  @Override
  public Optional<String> armRevert(Path file, Duration delay) throws InterruptedException {
    disarmRevert();
    return failure(
        run(
            List.of(
                "systemd-run",
                "--unit=" + REVERT_UNIT,
                "--description=Pulley: take back a firewall ruleset the agent did not confirm",
                "--collect",
                "--on-active=" + delay.toSeconds() + "s",
                "--timer-property=AccuracySec=1s",
                NFT.toString(),
                "--file",
                file.toString())));
  }

  @Override
  public Optional<String> loadAtBoot(Path ruleset) throws InterruptedException {
    String unit = BootUnit.render(NFT, ruleset);
    try {
      if (!BootUnit.PATH.toFile().isFile()
          || !Files.readString(BootUnit.PATH, StandardCharsets.UTF_8).equals(unit)) {
        AtomicWriter.write(
            BootUnit.PATH,
            unit.getBytes(StandardCharsets.UTF_8),
            temp ->
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--")));
        Optional<String> reloaded = failure(run(List.of("systemctl", "daemon-reload")));
        if (reloaded.isPresent()) {
          return reloaded.map(why -> "systemctl daemon-reload: " + why);
        }
      }
    } catch (IOException e) {
      return Optional.of("cannot write " + BootUnit.PATH + ": " + e.getMessage());
    }
    if (run(List.of("systemctl", "is-enabled", "--quiet", BootUnit.NAME)).succeeded()) {
      return Optional.empty();
    }
    return failure(run(List.of("systemctl", "enable", BootUnit.NAME)))
        .map(why -> "systemctl enable " + BootUnit.NAME + ": " + why);
  }

  @Override
  public void disarmRevert() throws InterruptedException {
    // Fails when nothing is armed, which is what this asks for.
    run(List.of("systemctl", "stop", REVERT_UNIT + ".timer", REVERT_UNIT + ".service"));
  }

  private List<String> nft(String... args) {
    List<String> argv = new java.util.ArrayList<>(nftPrefix);
    argv.add(NFT.toString());
    argv.addAll(List.of(args));
    return argv;
  }

  private ProgramRunner.Result run(List<String> argv) throws InterruptedException {
    return runner.run(argv, Path.of("/"), CommandRunner.BASE_ENV, new byte[0], TIMEOUT);
  }

  private static Optional<String> failure(ProgramRunner.Result result) {
    if (result.succeeded()) {
      return Optional.empty();
    }
    String output = result.outputTail().strip();
    return Optional.of(result.failure() + (output.isEmpty() ? "" : ": " + output));
  }
}
