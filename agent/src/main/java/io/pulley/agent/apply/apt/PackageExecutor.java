package io.pulley.agent.apply.apt;

import com.google.re2j.Pattern;
import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.apply.SecretScrubber;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.CommandRunner.Invocation;
import io.pulley.agent.apply.process.CommandRunner.Result;
import io.pulley.v1.lite.Package;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Installs the missing packages of a list with apt, in one non-interactive run. Installed packages
 * are found with dpkg-query, so a converged list costs one short process and no apt lock.
 * Idempotent; one apply at a time.
 */
public final class PackageExecutor implements ResourceExecutor<Package> {
  private static final Pattern TAB = Pattern.compile("\t");
  static final Path APT_LISTS = Path.of("/var/lib/apt/lists");
  static final Duration LISTS_MAX_AGE = Duration.ofHours(1);
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
  static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(10);
  // Long enough to wait out another apt's lock (600 s) and then download and unpack.
  static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(30);
  static final String INSTALLED = "install ok installed";
  static final String UNKNOWN_PACKAGE = "Unable to locate package";

  /** What apt says when dpkg was killed mid-install (a crash, a reboot, a power loss). */
  static final String DPKG_INTERRUPTED = "dpkg was interrupted";

  private final CommandRunner runner;
  private final AptLockWait apt;
  private final Path aptLists;
  private final Clock clock;

  public PackageExecutor(CommandRunner runner) {
    this(runner, APT_LISTS, Clock.systemUTC());
  }

  /**
   * @param aptLists where apt keeps the downloaded package lists
   */
  PackageExecutor(CommandRunner runner, Path aptLists, Clock clock) {
    this(runner, aptLists, clock, duration -> Thread.sleep(duration.toMillis()));
  }

  /**
   * @param sleeper waits between two tries of an apt command that found another apt's lock
   */
  PackageExecutor(CommandRunner runner, Path aptLists, Clock clock, AptLockWait.Sleeper sleeper) {
    this.runner = runner;
    this.apt = new AptLockWait(runner, clock, sleeper);
    this.aptLists = aptLists;
    this.clock = clock;
  }

  @Override
  public Convergence converge(Package spec, ApplyContext context) throws IOException {
    if (spec.getNamesCount() == 0) {
      return Convergence.failed("names is empty");
    }
    for (String name : spec.getNamesList()) {
      Optional<String> refused = PackageNames.refusal(name);
      if (refused.isPresent()) {
        return Convergence.failed(refused.get());
      }
    }
    List<String> names = List.copyOf(new LinkedHashSet<>(spec.getNamesList()));
    try {
      Invocation query = query(names);
      Result queried = runner.run(query);
      // dpkg-query exits 1 when some name is unknown to dpkg, which only means "not installed".
      if (!queried.succeeded() && !(queried.startError().isEmpty() && queried.exitCode() == 1)) {
        return failed(query, queried, QUERY_TIMEOUT, context);
      }
      List<String> missing = missing(names, queried.outputTail());
      if (missing.isEmpty()) {
        return Convergence.unchanged("installed: " + String.join(", ", names));
      }
      return install(missing, spec.getInstallRecommends(), context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Convergence.failed("interrupted");
    }
  }

  private Convergence install(List<String> missing, boolean recommends, ApplyContext context)
      throws IOException, InterruptedException {
    boolean updated = false;
    if (listsStale()) {
      Optional<Convergence> failure = update(context);
      if (failure.isPresent()) {
        return failure.get();
      }
      updated = true;
    }
    Invocation install = install(missing, recommends);
    Result r = apt.run(install);
    if (!r.succeeded() && !updated && r.outputTail().contains(UNKNOWN_PACKAGE)) {
      // Fresh lists may know a package that the cached ones do not.
      Optional<Convergence> failure = update(context);
      if (failure.isPresent()) {
        return failure.get();
      }
      updated = true;
      r = apt.run(install);
    }
    boolean repaired = false;
    if (!r.succeeded() && r.outputTail().contains(DPKG_INTERRUPTED)) {
      // apt asks an admin to run this; the agent is the admin here, so no one has to log in.
      Optional<Convergence> failure = configureInterrupted(context);
      if (failure.isPresent()) {
        return failure.get();
      }
      repaired = true;
      r = apt.run(install);
    }
    if (!r.succeeded()) {
      return failed(install, r, INSTALL_TIMEOUT, context);
    }
    return Convergence.changed(
        "installed "
            + String.join(", ", missing)
            + (updated ? " (after apt-get update)" : "")
            + (repaired ? " (after dpkg --configure -a: an earlier install was cut short)" : ""));
  }

  /** Finishes the installs an interrupted dpkg left unpacked or half-configured. */
  private Optional<Convergence> configureInterrupted(ApplyContext context)
      throws InterruptedException {
    Invocation configure =
        Invocation.of(
                List.of("dpkg", "--force-confdef", "--force-confold", "--configure", "-a"),
                INSTALL_TIMEOUT)
            .withEnv(aptEnv());
    Result r = apt.run(configure);
    return r.succeeded()
        ? Optional.empty()
        : Optional.of(failed(configure, r, INSTALL_TIMEOUT, context));
  }

  private Optional<Convergence> update(ApplyContext context) throws InterruptedException {
    Invocation update =
        Invocation.of(List.of("apt-get", "update", "-o", "DPkg::Lock::Timeout=600"), UPDATE_TIMEOUT)
            .withEnv(aptEnv());
    Result r = apt.run(update);
    if (r.succeeded()) {
      return Optional.empty();
    }
    return Optional.of(failed(update, r, UPDATE_TIMEOUT, context));
  }

  private static Invocation query(List<String> names) {
    List<String> argv =
        new ArrayList<>(List.of("dpkg-query", "-W", "-f", "${Package}\t${Status}\n"));
    argv.addAll(names);
    return Invocation.of(argv, QUERY_TIMEOUT);
  }

  private static Invocation install(List<String> names, boolean recommends) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "apt-get",
                "install",
                "-y",
                recommends ? "--install-recommends" : "--no-install-recommends",
                "-o",
                "DPkg::Lock::Timeout=600",
                "-o",
                "Dpkg::Options::=--force-confdef",
                "-o",
                "Dpkg::Options::=--force-confold"));
    argv.addAll(names);
    return Invocation.of(argv, INSTALL_TIMEOUT).withEnv(aptEnv());
  }

  private static Map<String, String> aptEnv() {
    Map<String, String> env = new LinkedHashMap<>(CommandRunner.BASE_ENV);
    env.put("DEBIAN_FRONTEND", "noninteractive");
    return env;
  }

  /** The names not reported "install ok installed" in dpkg-query's "NAME\tSTATUS" lines. */
  static List<String> missing(List<String> names, String queryOutput) {
    Set<String> installed = new HashSet<>();
    queryOutput
        .lines()
        .map(line -> TAB.split(line, -1))
        .filter(f -> f.length == 2 && f[1].equals(INSTALLED))
        .forEach(f -> installed.add(f[0]));
    return names.stream().filter(n -> !installed.contains(n)).toList();
  }

  /** True when no package list was downloaded in the last hour. */
  boolean listsStale() throws IOException {
    if (!Files.isDirectory(aptLists)) {
      return true;
    }
    Optional<FileTime> newest;
    try (Stream<Path> files = Files.list(aptLists)) {
      newest =
          files
              .filter(p -> p.getFileName().toString().contains("_Packages"))
              .map(PackageExecutor::modified)
              .max(FileTime::compareTo);
    }
    Instant freshSince = clock.instant().minus(LISTS_MAX_AGE);
    return newest.isEmpty() || newest.get().toInstant().isBefore(freshSince);
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return FileTime.fromMillis(0); // vanished while listing: as old as can be
    }
  }

  private static Convergence failed(
      Invocation invocation, Result r, Duration timeout, ApplyContext context) {
    return Convergence.failed(
            invocation.argv().get(0) + " " + invocation.argv().get(1) + ": " + r.failure(timeout))
        .withOutputTail(SecretScrubber.scrub(r.outputTail(), context));
  }
}
