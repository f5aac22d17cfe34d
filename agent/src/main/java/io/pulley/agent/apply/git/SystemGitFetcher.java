package io.pulley.agent.apply.git;

import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fetches with the system's {@code git} over SSH, because JGit's SSH transport is a separate
 * library the agent does not carry. A deploy key is written to a root-only temp file for the one
 * fetch and deleted after it. The host key the controller accepted for the remote's server is
 * pinned in the release root's {@code .pulley/known_hosts} and checked strictly; servers the plan
 * pins no key for (older controllers, submodules elsewhere) are trusted on first use and remembered
 * there. Nothing reaches a shell but GIT_SSH_COMMAND, which git runs through one; its only variable
 * parts are paths the agent made, single-quoted. Thread-safe.
 */
final class SystemGitFetcher implements Fetcher {
  static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final ProcessRunner runner = new ProcessRunner();
  private final Optional<String> privateKey;
  private final String ssh;
  private final Optional<PinnedKey> pinned;

  /** A host key to accept, and only it, from one server. */
  record PinnedKey(RemoteHost server, String key) {}

  SystemGitFetcher(Optional<String> privateKey, String ssh) {
    this(privateKey, ssh, Optional.empty());
  }

  /**
   * @param privateKey an OpenSSH private key, or empty to use the agent user's own SSH setup
   * @param ssh the ssh program git runs (a test passes a recording script)
   * @param pinned the only host key accepted from its server ("type base64"), if the plan has one
   */
  SystemGitFetcher(Optional<String> privateKey, String ssh, Optional<PinnedKey> pinned) {
    this.privateKey = privateKey;
    this.ssh = ssh;
    this.pinned = pinned;
  }

  @Override
  public Optional<String> fetch(Path gitDir, String url) throws InterruptedException {
    Path workDir = gitDir.getParent();
    Path keyFile = null;
    try {
      if (privateKey.isPresent()) {
        keyFile =
            Files.createTempFile(
                workDir,
                ".deploy-key.",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        String key = privateKey.get();
        // ssh rejects a key file whose last line is not terminated.
        Files.writeString(keyFile, key.endsWith("\n") ? key : key + "\n", StandardCharsets.UTF_8);
      }
      Path knownHosts = workDir.resolve("known_hosts");
      Optional<RemoteHost> server = RemoteHost.of(url);
      boolean strict = pinned.isPresent() && server.equals(Optional.of(pinned.get().server()));
      if (strict) {
        KnownHosts.pin(knownHosts, pinned.get().server(), pinned.get().key());
      }
      Map<String, String> env = new LinkedHashMap<>();
      env.put("PATH", PATH);
      env.put("LANG", "C.UTF-8");
      env.put("HOME", workDir.toString());
      env.put("GIT_TERMINAL_PROMPT", "0");
      env.put("GIT_CONFIG_NOSYSTEM", "1");
      env.put("GIT_SSH_COMMAND", sshCommand(keyFile, knownHosts, strict));
      List<String> argv =
          List.of(
              "git",
              "--git-dir=" + gitDir,
              "fetch",
              "--prune",
              "--quiet",
              url,
              "+refs/heads/*:refs/remotes/origin/*",
              "+refs/tags/*:refs/tags/*");
      CommandRunner.Result run =
          runner.run(
              CommandRunner.Invocation.of(argv, TIMEOUT).withWorkingDir(workDir).withEnv(env));
      return failure(run, url);
    } catch (IOException e) {
      return Optional.of(Credentials.redact("fetch from " + url + " failed: " + e.getMessage()));
    } finally {
      deleteQuietly(keyFile);
    }
  }

  /**
   * @param strict true if the server's key is pinned in {@code knownHosts}: no other is accepted,
   *     and an unknown server is refused rather than trusted
   */
  String sshCommand(Path keyFile, Path knownHosts, boolean strict) throws IOException {
    StringBuilder cmd = new StringBuilder(quote(ssh));
    if (keyFile != null) {
      cmd.append(" -i ").append(quote(keyFile.toString())).append(" -o IdentitiesOnly=yes");
    }
    cmd.append(strict ? " -o StrictHostKeyChecking=yes" : " -o StrictHostKeyChecking=accept-new")
        .append(" -o UserKnownHostsFile=")
        .append(quote(knownHosts.toString()))
        .append(" -o BatchMode=yes");
    return cmd.toString();
  }

  private static String quote(String word) throws IOException {
    if (word.contains("'")) {
      throw new IOException(
          "path " + word + " contains a single quote; it cannot be passed to ssh");
    }
    return "'" + word + "'";
  }

  private static Optional<String> failure(CommandRunner.Result run, String url) {
    String prefix = "git fetch from " + url;
    if (!run.startError().isEmpty()) {
      return Optional.of(Credentials.redact(prefix + " failed: " + run.startError()));
    }
    if (run.timedOut()) {
      return Optional.of(
          Credentials.redact(prefix + " timed out after " + TIMEOUT.toMinutes() + " min"));
    }
    if (run.exitCode() != 0) {
      // The first line names the cause (ssh's error, git's fatal); later ones are boilerplate.
      String first = run.outputTail().lines().filter(l -> !l.isBlank()).findFirst().orElse("");
      return Optional.of(
          Credentials.redact(prefix + " failed (exit " + run.exitCode() + "): " + first.strip()));
    }
    return Optional.empty();
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // The directory is root-only; the next fetch makes a new file and this one stays 0600.
    }
  }
}
