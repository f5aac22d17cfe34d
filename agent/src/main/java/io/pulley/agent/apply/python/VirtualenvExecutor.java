package io.pulley.agent.apply.python;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.apply.SecretScrubber;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.facts.HostPython;
import io.pulley.agent.files.Trees;
import io.pulley.v1.lite.Virtualenv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a release's Python virtual environment: reuses a sibling release's environment with the
 * same requirements key when there is one, else creates it and installs the requirements; then
 * installs the release's project without its dependencies. The marker written last makes a second
 * apply UNCHANGED and a half-made environment recognisable (it is deleted and made again). One
 * apply at a time; not thread-safe per path.
 */
public final class VirtualenvExecutor implements ResourceExecutor<Virtualenv> {
  private static final Duration VENV_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration PIP_TIMEOUT = Duration.ofMinutes(30);
  private static final Logger log = LoggerFactory.getLogger(VirtualenvExecutor.class);

  private final CommandRunner runner;
  private final PathGuard guard;
  private final HostPython hostPython;

  /**
   * Makes and deletes environments only under {@code guard}'s roots; runs python with runner. A
   * plan without an interpreter gets {@code hostPython}'s.
   */
  public VirtualenvExecutor(PathGuard guard, CommandRunner runner, HostPython hostPython) {
    this.guard = guard;
    this.runner = runner;
    this.hostPython = hostPython;
  }

  @Override
  public Convergence converge(Virtualenv plan, ApplyContext context) throws IOException {
    Optional<String> invalid = invalid(plan);
    if (invalid.isPresent()) {
      return Convergence.failed(invalid.get());
    }
    Optional<Virtualenv> withPython = withInterpreter(plan);
    if (withPython.isEmpty()) {
      return Convergence.failed(
          "no python3 on this host: "
              + hostPython.describe()
              + " does not exist; install Debian's python3 package or set"
              + " stack.python.interpreter");
    }
    Virtualenv spec = withPython.get();
    Optional<String> outside = guard.check(spec.getPath());
    if (outside.isPresent()) {
      return Convergence.failed(outside.get());
    }
    if (!spec.getRequirements().isEmpty()
        && !Files.isRegularFile(Path.of(spec.getRequirements()))) {
      return Convergence.failed("requirements file " + spec.getRequirements() + " does not exist");
    }
    if (!spec.getInstall().isEmpty() && !Files.isDirectory(Path.of(spec.getInstall()))) {
      return Convergence.failed("project directory " + spec.getInstall() + " does not exist");
    }
    Path venv = Path.of(spec.getPath());
    String key = key(spec);
    VenvMarker wanted = new VenvMarker(key, spec.getInstall());
    Optional<VenvMarker> marker = VenvMarker.read(venv);
    if (marker.isPresent() && marker.get().equals(wanted)) {
      return Convergence.unchanged("up to date");
    }
    try {
      return build(spec, venv, wanted, marker, context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Convergence.failed("interrupted; the environment is left half-made");
    }
  }

  private Convergence build(
      Virtualenv spec,
      Path venv,
      VenvMarker wanted,
      Optional<VenvMarker> marker,
      ApplyContext context)
      throws IOException, InterruptedException {
    String how;
    if (marker.isPresent() && marker.get().key().equals(wanted.key())) {
      how = "project installed";
    } else {
      if (Files.exists(venv)) {
        // Half-made (no marker) or made for other requirements: never patch, start over.
        log.info("removing stale virtualenv {}", venv);
        Trees.delete(venv);
      }
      // Made beside its place and renamed into it: a crash leaves a temporary directory (deleted
      // here next time) or a venv without a marker, never a half one that looks complete.
      Path partial = venv.resolveSibling("." + venv.getFileName() + ".partial");
      Trees.delete(partial);
      Optional<Path> sibling = sibling(venv, wanted.key());
      if (sibling.isPresent()) {
        VenvCopier.copy(sibling.get(), partial, venv);
        how = "reused from " + shortName(sibling.get());
      } else {
        Optional<Convergence> failed = create(spec, partial, context);
        if (failed.isPresent()) {
          return failed.get();
        }
        VenvCopier.rewrite(partial, partial.toString(), venv.toString());
        how = spec.getRequirements().isEmpty() ? "created" : "created, requirements installed";
      }
      Files.move(partial, venv, StandardCopyOption.ATOMIC_MOVE);
    }
    if (!spec.getInstall().isEmpty()) {
      if (ProjectInstall.installable(Path.of(spec.getInstall()))) {
        List<String> argv = pip(venv);
        argv.addAll(List.of("--no-deps", "--no-index", "--no-build-isolation"));
        argv.addAll(spec.getPipArgsList());
        argv.add(spec.getInstall());
        Optional<Convergence> failed = step(argv, PIP_TIMEOUT, "installing the project", context);
        if (failed.isPresent()) {
          return failed.get();
        }
      } else {
        how += "; no pyproject.toml, setup.py or setup.cfg: the code runs from the release";
      }
    }
    wanted.write(venv);
    return Convergence.changed(how);
  }

  private Optional<Convergence> create(Virtualenv spec, Path venv, ApplyContext context)
      throws InterruptedException {
    List<String> argv = new ArrayList<>(List.of(spec.getPython(), "-m", "venv"));
    if (spec.getSystemSitePackages()) {
      argv.add("--system-site-packages");
    }
    argv.add(venv.toString());
    Optional<Convergence> failed = step(argv, VENV_TIMEOUT, "creating the virtualenv", context);
    if (failed.isPresent() || spec.getRequirements().isEmpty()) {
      return failed;
    }
    List<String> pip = pip(venv);
    pip.addAll(spec.getPipArgsList());
    pip.addAll(List.of("-r", spec.getRequirements()));
    return step(pip, PIP_TIMEOUT, "installing the requirements", context);
  }

  private Optional<Convergence> step(
      List<String> argv, Duration timeout, String what, ApplyContext context)
      throws InterruptedException {
    CommandRunner.Result run =
        runner.run(CommandRunner.Invocation.of(argv, timeout).withEnv(env()));
    if (run.succeeded()) {
      return Optional.empty();
    }
    String hint = ProjectInstall.hint(run.outputTail()).map(h -> "; " + h).orElse("");
    return Optional.of(
        Convergence.failed(what + " failed: " + run.failure(timeout) + hint)
            .withOutputTail(SecretScrubber.scrub(run.outputTail(), context)));
  }

  private static List<String> pip(Path venv) {
    return new ArrayList<>(List.of(venv.resolve("bin/python").toString(), "-m", "pip", "install"));
  }

  /** A minimal environment; pip gets no cache (releases are installed once) and no nagging. */
  private static Map<String, String> env() {
    return Map.of(
        "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG", "C.UTF-8",
        "HOME", System.getProperty("user.home"),
        "PIP_NO_CACHE_DIR", "1",
        "PIP_DISABLE_PIP_VERSION_CHECK", "1",
        "PIP_NO_INPUT", "1");
  }

  /** The newest sibling release's environment made with the same key, if any. */
  private static Optional<Path> sibling(Path venv, String key) throws IOException {
    Path release = venv.getParent();
    Path releases = release == null ? null : release.getParent();
    if (releases == null || !Files.isDirectory(releases)) {
      return Optional.empty();
    }
    List<Path> candidates;
    try (var dirs = Files.list(releases)) {
      candidates =
          dirs.filter(d -> !d.equals(release))
              .map(d -> d.resolve(venv.getFileName()))
              .filter(Files::isDirectory)
              .toList();
    }
    Path best = null;
    long bestTime = Long.MIN_VALUE;
    for (Path candidate : candidates) {
      Optional<VenvMarker> marker = VenvMarker.read(candidate);
      if (marker.isPresent() && marker.get().key().equals(key)) {
        long time = Files.getLastModifiedTime(candidate.resolve(VenvMarker.FILE_NAME)).toMillis();
        if (time > bestTime) {
          best = candidate;
          bestTime = time;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  private static String shortName(Path siblingVenv) {
    String name = siblingVenv.getParent().getFileName().toString();
    return name.length() <= 12 ? name : name.substring(0, 12);
  }

  /**
   * The plan with its interpreter named: the plan's own, else the host's python3 resolved (a real
   * path, so that a Debian release upgrade, which changes it, makes new environments); empty when
   * the host has none.
   */
  private Optional<Virtualenv> withInterpreter(Virtualenv plan) {
    if (!plan.getPython().isEmpty()) {
      return Optional.of(plan);
    }
    return hostPython.resolve().map(p -> plan.toBuilder().setPython(p.toString()).build());
  }

  /**
   * What decides whether an environment can be reused: everything but the project. The interpreter
   * is already named ({@link #withInterpreter}).
   */
  static String key(Virtualenv spec) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      update(sha, spec.getPython());
      update(sha, Boolean.toString(spec.getSystemSitePackages()));
      byte[] requirements =
          spec.getRequirements().isEmpty()
              ? new byte[0]
              : Files.readAllBytes(Path.of(spec.getRequirements()));
      update(
          sha, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(requirements)));
      for (String arg : spec.getPipArgsList()) {
        update(sha, arg);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Length-prefixed, so that ("ab","c") and ("a","bc") hash differently. */
  private static void update(MessageDigest sha, String part) {
    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
    sha.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
    sha.update(bytes);
  }

  private static Optional<String> invalid(Virtualenv spec) {
    if (!isAbsolute(spec.getPath()) || Path.of(spec.getPath()).getParent() == null) {
      return Optional.of("path '" + spec.getPath() + "' is not an absolute path below /");
    }
    if (!spec.getPython().isEmpty() && !isAbsolute(spec.getPython())) {
      return Optional.of("python '" + spec.getPython() + "' is not an absolute path");
    }
    if (!spec.getRequirements().isEmpty() && !isAbsolute(spec.getRequirements())) {
      return Optional.of("requirements '" + spec.getRequirements() + "' is not an absolute path");
    }
    if (!spec.getInstall().isEmpty() && !isAbsolute(spec.getInstall())) {
      return Optional.of("install '" + spec.getInstall() + "' is not an absolute path");
    }
    return Optional.empty();
  }

  private static boolean isAbsolute(String path) {
    return path.startsWith("/") && Path.of(path).normalize().toString().equals(path);
  }
}
