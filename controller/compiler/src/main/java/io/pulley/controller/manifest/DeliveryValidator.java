package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.re2j.Pattern;
import io.pulley.v1.Manifest;
import io.pulley.v1.Promotion;
import io.pulley.v1.RolloutPolicy;
import io.pulley.v1.Tracking;

/**
 * Checks how a manifest's releases are delivered: what it tracks on its Git remote ({@code track}),
 * which environment it is promoted from ({@code promote}) and how a new revision spreads over the
 * hosts ({@code rollout}). Not thread-safe: one per compilation.
 */
final class DeliveryValidator {
  static final int MIN_INTERVAL_SECONDS = 5;
  static final int MAX_SECONDS = 7 * 24 * 3600;

  // A conservative reading of git-check-ref-format: no blanks or the characters Git forbids; the
  // rules about "..", "//" and the ends are checked by a scan, not by lookahead.
  private static final Pattern BRANCH_CHARACTERS = Pattern.compile("[^\\s~^:?*\\[\\\\]+");

  private final Checks checks;
  private final Names names;

  DeliveryValidator(Checks checks) {
    this.checks = checks;
    this.names = new Names(checks);
  }

  void validate(Manifest manifest) {
    if (manifest.hasTrack()) {
      track(manifest.getTrack(), manifest.hasStack() && manifest.getStack().hasGit());
    }
    if (manifest.hasPromote()) {
      promote(manifest);
    }
    if (manifest.hasRollout()) {
      rollout(manifest.getRollout());
    }
  }

  private void promote(Manifest manifest) {
    Promotion promote = manifest.getPromote();
    if (!manifest.hasStack() || !manifest.getStack().hasGit()) {
      checks.fail(
          "promote",
          "promotion gives this environment another one's stack.git commit, and this manifest"
              + " has no stack.git; add stack.git.url, or remove promote");
    }
    if (manifest.hasTrack()) {
      // Two sources of releases would undo each other's revisions. Reported on track, so that
      // the mistakes inside promote are still shown.
      checks.fail(
          "track",
          "an environment gets its releases either from its Git remote (track) or from another"
              + " environment (promote); remove one");
    }
    if (promote.getFrom().isEmpty()) {
      checks.fail("promote.from", "name the environment to promote from, such as \"staging\"");
    } else if (promote.getFrom().equals(manifest.getEnvironment())) {
      checks.fail(
          "promote.from",
          "an environment cannot be promoted from itself; name another one, such as"
              + " \"staging\"");
    } else {
      ManifestNames.problem("environment", promote.getFrom())
          .ifPresent(reason -> checks.fail("promote.from", reason));
    }
    int healthy = promote.getHealthySeconds();
    if (healthy != 0 && (healthy < MIN_INTERVAL_SECONDS || healthy > MAX_SECONDS)) {
      checks.fail(
          "promote.healthy_seconds",
          "healthy time is "
              + healthy
              + " s; use "
              + MIN_INTERVAL_SECONDS
              + " to "
              + MAX_SECONDS
              + " (0 means 1800)");
    }
  }

  private void track(Tracking track, boolean hasGit) {
    if (!hasGit) {
      checks.fail(
          "track",
          "tracking follows the stack's Git remote, and this manifest has no stack.git; add"
              + " stack.git.url, or remove track");
    }
    boolean tags = !track.getTags().isEmpty();
    boolean branch = !track.getBranch().isEmpty();
    if (tags && branch) {
      checks.fail("track.branch", "give either track.tags or track.branch, not both");
    } else if (!tags && !branch) {
      checks.fail(
          "track", "say what to follow: track.tags (a glob such as \"v*\") or track.branch");
    }
    if (tags && track.getTags().chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
      checks.fail("track.tags", "tag pattern " + quote(track.getTags()) + " has blanks in it");
    }
    if (branch && !tags && !isBranchName(track.getBranch())) {
      checks.fail("track.branch", quote(track.getBranch()) + " is not a valid Git branch name");
    }
    if (branch && track.getPrereleases()) {
      checks.fail("track.prereleases", "pre-releases are a matter of tags; remove it");
    }
    int interval = track.getIntervalSeconds();
    if (interval != 0 && (interval < MIN_INTERVAL_SECONDS || interval > MAX_SECONDS)) {
      checks.fail(
          "track.interval_seconds",
          "interval is "
              + interval
              + " s; use "
              + MIN_INTERVAL_SECONDS
              + " to "
              + MAX_SECONDS
              + " (0 means 60)");
    }
    names.secret("track.webhook_secret", track.getWebhookSecret(), false);
  }

  private void rollout(RolloutPolicy policy) {
    if (policy.getCanary() < 0 || policy.getCanary() > 1000) {
      checks.fail(
          "rollout.canary",
          "canary is " + policy.getCanary() + " hosts; use 1 to 1000 (0 means 1)");
    }
    if (BatchSize.parse(policy.getBatch()).isEmpty()) {
      checks.fail(
          "rollout.batch",
          "batch "
              + quote(policy.getBatch())
              + " is neither a count of hosts (\"2\") nor a share of them (\"25%\"); leave it"
              + " out for all the remaining hosts at once");
    }
    seconds("rollout.bake_seconds", policy.getBakeSeconds(), "bake time", "0 means none");
    seconds(
        "rollout.host_timeout_seconds",
        policy.getHostTimeoutSeconds(),
        "host timeout",
        "0 means 1800");
  }

  private void seconds(String field, int value, String what, String zero) {
    if (value < 0 || value > MAX_SECONDS) {
      checks.fail(field, what + " is " + value + " s; use 0 to " + MAX_SECONDS + " (" + zero + ")");
    }
  }

  /** No leading "-" or "/", no trailing "/" or ".lock", no ".." or "//" anywhere. */
  static boolean isBranchName(String name) {
    return BRANCH_CHARACTERS.matcher(name).matches()
        && !name.startsWith("-")
        && !name.startsWith("/")
        && !name.endsWith("/")
        && !name.endsWith(".lock")
        && !name.contains("..")
        && !name.contains("//");
  }
}
