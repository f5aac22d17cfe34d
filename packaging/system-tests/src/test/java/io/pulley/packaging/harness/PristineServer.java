package io.pulley.packaging.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throw-away Debian server: a copy of a {@link DebianImage} booted with real systemd as PID 1
 * under systemd-nspawn, in its own network namespace with a link-local address on the {@link
 * TestNetwork}. Commands run inside through {@code nsenter} (there is no machined to ask).
 *
 * <p>{@link #close()} removes every trace — processes, mounts, cgroups, namespace, copy — and is
 * idempotent; a JVM shutdown hook closes servers a test left open, and the next boot in any JVM
 * sweeps what a killed JVM left. Thread-safe.
 *
 * <p>Every server gets its own {@link AptProxy} on the host side of the test network, named in
 * {@value AptProxy#APT_CONF}, so {@code apt-get update} and {@code apt-get install} work although
 * the server has no route; it stops when the server is closed.
 */
public final class PristineServer implements AutoCloseable {

  public static final Duration DEFAULT_BOOT_TIMEOUT = Duration.ofSeconds(90);
  public static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofMinutes(5);
  static final int KILL_AFTER_SECONDS = 5;
  static final Duration POWEROFF_TIMEOUT = Duration.ofSeconds(20);
  static final Duration REBOOT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(90);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final Logger log = LoggerFactory.getLogger(PristineServer.class);

  private final HarnessDirs dirs;
  private final String name;
  private final String address;
  private final NspawnLauncher launcher;
  private final AptProxy aptProxy;
  private volatile Process nspawn;
  private volatile long initPid;
  private boolean closed;

  private PristineServer(HarnessDirs dirs, String name, String address, AptProxy aptProxy) {
    this.dirs = dirs;
    this.name = name;
    this.address = address;
    this.launcher = new NspawnLauncher(dirs, name);
    this.aptProxy = aptProxy;
    this.nspawn = launcher.boot();
  }

  /** Boots a server with a generated name ({@code pulley-t-PID-N}). */
  public static PristineServer boot(DebianImage image) {
    return boot(image, ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet());
  }

  /**
   * Boots a server whose host name is {@code pulley-t-SUFFIX}, and returns once systemd reports the
   * system running (or degraded).
   */
  public static PristineServer boot(DebianImage image, String suffix) {
    return boot(image, suffix, DEFAULT_BOOT_TIMEOUT);
  }

  public static PristineServer boot(DebianImage image, String suffix, Duration bootTimeout) {
    if (!suffix.matches("[a-z0-9][a-z0-9-]{0,30}")) {
      throw new IllegalArgumentException(
          "server name suffix must match [a-z0-9][a-z0-9-]{0,30}: " + suffix);
    }
    String name = Sweeper.PREFIX + suffix;
    HarnessDirs dirs = image.dirs();
    LiveServers.startOnce(dirs);
    Path imageRoot = image.rootfs();
    long start = System.nanoTime();
    TestNetwork.Attachment attachment = new TestNetwork(dirs).attach(name, Owner.current());
    PristineServer server = null;
    AptProxy aptProxy = null;
    try {
      aptProxy = AptProxy.start(imageRoot, dirs.cache(), TestNetwork.hostAddress());
      prepareCopy(dirs, imageRoot, name, aptProxy);
      LiveServers.checkNotShuttingDown(name);
      server = new PristineServer(dirs, name, attachment.address(), aptProxy);
      LiveServers.add(server);
      new BootWait(server, bootTimeout).await();
      log.info(
          "server {} at {} booted in {} ms",
          name,
          server.address,
          (System.nanoTime() - start) / 1_000_000);
      return server;
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      } else {
        new ServerTeardown(dirs).remove(name, POWEROFF_TIMEOUT);
        if (aptProxy != null) {
          aptProxy.close();
        }
      }
      throw e;
    }
  }

  /** A fresh copy of the image with its own host name, machine id and apt proxy. */
  private static void prepareCopy(
      HarnessDirs dirs, Path imageRoot, String name, AptProxy aptProxy) {
    Path root = dirs.serverRoot(name);
    try {
      Files.createDirectories(dirs.servers());
      if (Files.exists(root)) {
        throw new IllegalStateException("server " + name + " exists already: " + root);
      }
      HostCommand.run(
              Duration.ofMinutes(5),
              List.of("cp", "-a", "--reflink=auto", imageRoot.toString(), root.toString()))
          .orThrow();
      Files.writeString(root.resolve("etc/hostname"), name + "\n");
      Files.writeString(
          root.resolve("etc/hosts"),
          "127.0.0.1 localhost\n127.0.1.1 "
              + name
              + "\n"
              + TestNetwork.HOST_ADDRESS
              + " pulley-host\n::1 localhost ip6-localhost ip6-loopback\n");
      Files.writeString(
          root.resolve("etc/machine-id"), UUID.randomUUID().toString().replace("-", "") + "\n");
      Files.writeString(root.resolve(AptProxy.APT_CONF.substring(1)), aptProxy.aptConfig());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String hostName() {
    return name;
  }

  /** Its link-local address, reachable from the host and from the other servers. */
  public String address() {
    return address;
  }

  /** The proxy this server's apt goes through. */
  public AptProxy aptProxy() {
    return aptProxy;
  }

  /** The container's systemd (PID 1 inside), as seen from the host. */
  public long initPid() {
    return initPid;
  }

  void initPid(long pid) {
    initPid = pid;
  }

  Process nspawn() {
    return nspawn;
  }

  /** What nspawn and the container printed on its console so far. */
  public String console() {
    try {
      return new String(Files.readAllBytes(dirs.console(name)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no console output: " + e.getMessage() + ")";
    }
  }

  public ExecResult exec(String... argv) {
    return exec(DEFAULT_EXEC_TIMEOUT, argv);
  }

  /**
   * Runs {@code argv} inside the server (all its namespaces) as root, with a clean environment.
   * Past {@code timeout} the command and its children get SIGTERM, and SIGKILL {@value
   * #KILL_AFTER_SECONDS} s later.
   */
  public ExecResult exec(Duration timeout, String... argv) {
    return run(timeout, null, argv);
  }

  /**
   * {@code apt-get ARGUMENTS} as an unattended install runs it: no question asked (debconf's
   * noninteractive front end), within {@code timeout}.
   */
  public ExecResult aptGet(Duration timeout, String... arguments) {
    List<String> argv =
        new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get"));
    argv.addAll(List.of(arguments));
    return exec(timeout, argv.toArray(String[]::new));
  }

  /**
   * The timeout is enforced inside by coreutils' timeout, which signals the command's whole process
   * group: killing nsenter from the host would leave its child running in the server.
   */
  private ExecResult run(Duration timeout, Path stdin, String... argv) {
    List<String> command =
        new ArrayList<>(List.of("timeout", "--kill-after=" + KILL_AFTER_SECONDS));
    command.add(String.format(Locale.ROOT, "%.3f", timeout.toMillis() / 1000.0));
    command.addAll(List.of(argv));
    long start = System.nanoTime();
    ExecResult result =
        HostCommand.run(timeout.plusSeconds(KILL_AFTER_SECONDS + 10), inside(command), stdin);
    boolean expired = System.nanoTime() - start >= timeout.toNanos();
    boolean killedByTimeout = result.exitCode() == 124 || result.exitCode() == 137;
    return new ExecResult(
        List.of(argv),
        result.exitCode(),
        result.stdout(),
        result.stderr(),
        result.timedOut() || (expired && killedByTimeout));
  }

  public ExecResult execOrThrow(String... argv) {
    return exec(argv).orThrow();
  }

  /**
   * Copies a host file to {@code containerPath} (parents created, owner root, the host file's
   * mode). Written from inside the server, so symlinks in the copy resolve as the server sees them.
   */
  public void copyIn(Path hostFile, String containerPath) {
    checkContainerPath(containerPath);
    if (!Files.isRegularFile(hostFile)) {
      throw new IllegalArgumentException("not a regular file: " + hostFile);
    }
    String mode = octal(hostFile);
    run(DEFAULT_EXEC_TIMEOUT, hostFile, "install", "-D", "-m", mode, "/dev/stdin", containerPath)
        .orThrow();
  }

  /** Writes {@code content} to {@code containerPath} with mode 0644. */
  public void writeFile(String containerPath, String content) {
    try {
      Path temp = Files.createTempFile("pulley-harness-file", ".txt");
      try {
        Files.writeString(temp, content);
        Files.setPosixFilePermissions(
            temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        copyIn(temp, containerPath);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The journal of {@code unit} since boot, one line per entry. */
  public String journal(String unit) {
    return execOrThrow("journalctl", "--no-pager", "--output=short-iso", "--unit=" + unit).stdout();
  }

  /**
   * Where {@code unit}'s journal ends now (its last entry, which it must have), for {@link
   * #journalAfter}.
   */
  public String journalCursor(String unit) {
    String out =
        execOrThrow("journalctl", "--no-pager", "--lines=1", "--show-cursor", "--unit=" + unit)
            .stdout();
    String marker = "-- cursor: ";
    int at = out.lastIndexOf(marker);
    if (at < 0) {
      throw new IllegalStateException("journalctl printed no cursor: " + out);
    }
    return out.substring(at + marker.length()).strip();
  }

  /** The messages of {@code unit}'s journal after {@code cursor}, one line per entry. */
  public String journalAfter(String unit, String cursor) {
    return execOrThrow(
            "journalctl",
            "--no-pager",
            "--output=cat",
            "--after-cursor=" + cursor,
            "--unit=" + unit)
        .stdout();
  }

  /**
   * Reboots the server as an admin's {@code systemctl reboot} does: its systemd stops everything,
   * and it boots again from the same root (files kept, /run and /tmp empty) with the same name,
   * address and apt proxy. Returns once systemd reports the system running (or degraded); {@link
   * #close()} waits for a reboot under way.
   */
  public synchronized void reboot() {
    if (closed) {
      throw new IllegalStateException("server " + name + " is closed");
    }
    long start = System.nanoTime();
    // Its systemd may kill this command on the way down: how it ends only helps an error message.
    ExecResult asked = exec(Duration.ofSeconds(30), "systemctl", "reboot");
    Process old = nspawn;
    initPid = 0;
    nspawn =
        launcher.restartAfterReboot(
            old,
            REBOOT_SHUTDOWN_TIMEOUT,
            () -> asked.describe() + "\n--- console ---\n" + ExecResult.tail(console()));
    new BootWait(this, DEFAULT_BOOT_TIMEOUT).await();
    log.info("server {} rebooted in {} ms", name, (System.nanoTime() - start) / 1_000_000);
  }

  /** Halts the server, then removes everything it used. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    long start = System.nanoTime();
    try {
      killWrapperBeforeNspawn();
      new ServerTeardown(dirs).remove(name, POWEROFF_TIMEOUT);
    } finally {
      aptProxy.close();
      LiveServers.remove(this);
    }
    log.info("server {} removed in {} ms", name, (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * A server closed within milliseconds of its start may still be the cgroup wrapper shell, not yet
   * nspawn: the teardown, which finds nspawn by its machine name, would miss it, and the shell
   * would create the server's cgroup after the teardown removed it. So would a {@code mkdir} it has
   * just forked, which outlives a SIGKILL of the shell (TeardownTest saw an empty cgroup left that
   * way, 3 times in 40). So the shell is stopped first, where it can fork nothing more, then
   * killed, and its children are waited for. Had it just become nspawn, the teardown kills what
   * nspawn left in the cgroup.
   */
  private void killWrapperBeforeNspawn() {
    Process current = nspawn;
    if (!current.isAlive() || !NspawnProcesses.forMachine(name).isEmpty()) {
      return;
    }
    HostCommand.run(Duration.ofSeconds(10), List.of("kill", "-STOP", Long.toString(current.pid())));
    List<ProcessHandle> children = current.descendants().toList();
    current.destroyForcibly();
    List<ProcessHandle> all = new ArrayList<>(children);
    all.add(current.toHandle());
    for (ProcessHandle process : all) {
      try {
        process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        log.warn("{}'s wrapper child {} did not exit: {}", name, process.pid(), e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return name + "@" + address;
  }

  private List<String> inside(List<String> argv) {
    if (initPid == 0) {
      throw new IllegalStateException("server " + name + " has not booted");
    }
    List<String> command =
        new ArrayList<>(List.of("nsenter", "--target=" + initPid, "--all", "--"));
    command.addAll(argv);
    return command;
  }

  private static void checkContainerPath(String path) {
    if (!path.startsWith("/") || !Path.of(path).normalize().toString().equals(path)) {
      throw new IllegalArgumentException("container path must be absolute and normal: " + path);
    }
  }

  private static String octal(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      int mode = 0;
      for (PosixFilePermission perm : perms) {
        mode |= 1 << (8 - perm.ordinal());
      }
      return String.format("%04o", mode);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
