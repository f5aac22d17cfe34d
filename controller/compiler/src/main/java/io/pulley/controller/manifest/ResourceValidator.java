package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.re2j.Pattern;
import io.pulley.v1.Command;
import io.pulley.v1.Directory;
import io.pulley.v1.File;
import io.pulley.v1.GitRelease;
import io.pulley.v1.Resource;
import java.util.Map;

/** Checks one resource of each kind against the rules the agent relies on. Not thread-safe. */
final class ResourceValidator {

  static final int MAX_CONTENT_BYTES = 1 << 20;
  static final int MAX_KEEP = 100;
  static final int MAX_TIMEOUT_SECONDS = 86_400;

  private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Checks checks;
  private final Names names;
  private final HostResourceChecks hostChecks;
  private final ReleaseResourceChecks releaseChecks;

  ResourceValidator(Checks checks) {
    this.checks = checks;
    this.names = new Names(checks);
    this.hostChecks = new HostResourceChecks(checks);
    this.releaseChecks = new ReleaseResourceChecks(checks);
  }

  void validate(Resource resource, String path) {
    if (!resource.getId().isEmpty() && resource.getId().chars().anyMatch(Character::isISOControl)) {
      checks.fail(path + ".id", "id " + quote(resource.getId()) + " contains a control character");
    }
    switch (resource.getKindCase()) {
      case DIRECTORY -> directory(resource.getDirectory(), path + ".directory");
      case FILE -> file(resource.getFile(), path + ".file");
      case GIT_RELEASE -> gitRelease(resource.getGitRelease(), path + ".git_release");
      case COMMAND -> command(resource.getCommand(), path + ".command");
      case PACKAGE -> hostChecks.packages(resource.getPackage(), path + ".package");
      case GROUP -> hostChecks.group(resource.getGroup(), path + ".group");
      case USER -> hostChecks.user(resource.getUser(), path + ".user");
      case SERVICE -> hostChecks.service(resource.getService(), path + ".service");
      case DATABASE -> hostChecks.database(resource.getDatabase(), path + ".database");
      case DATABASE_DUMP ->
          hostChecks.databaseDump(resource.getDatabaseDump(), path + ".database_dump");
      case FIREWALL ->
          new FirewallChecks(checks).resource(resource.getFirewall(), path + ".firewall");
      case VIRTUALENV -> releaseChecks.virtualenv(resource.getVirtualenv(), path + ".virtualenv");
      case RELEASE_LINK ->
          releaseChecks.releaseLink(resource.getReleaseLink(), path + ".release_link");
      case HEALTH_CHECK ->
          releaseChecks.healthCheck(resource.getHealthCheck(), path + ".health_check");
      case HANDOVER ->
          checks.fail(
              path + ".handover",
              "a handover is rendered from the stack section (stack.web.handover), not written"
                  + " by hand");
      case KIND_NOT_SET -> noKind(path);
    }
  }

  private void noKind(String path) {
    // A kind that was written but refused by the reader has its own error already.
    for (FieldDescriptor kind : Resource.getDescriptor().getOneofs().get(0).getFields()) {
      if (checks.written(path + "." + kind.getName())) {
        return;
      }
    }
    checks.fail(
        path,
        "a resource needs exactly one kind: directory, file, git_release, command, package,"
            + " group, user, virtualenv, service, database, health_check or release_link");
  }

  private void directory(Directory directory, String path) {
    checks.path(path + ".path", directory.getPath(), true);
    ownership(path, directory.getOwner(), directory.getGroup(), directory.getMode());
  }

  private void file(File file, String path) {
    checks.path(path + ".path", file.getPath(), true);
    checks.path(path + ".only_if_exists", file.getOnlyIfExists(), false);
    ownership(path, file.getOwner(), file.getGroup(), file.getMode());
    int bytes = file.getContentBytes().size();
    if (bytes > MAX_CONTENT_BYTES) {
      checks.fail(
          path + ".content",
          "content has " + bytes + " bytes; at most " + MAX_CONTENT_BYTES + " are allowed");
    }
    if (file.getValidateCount() > 0 || checks.written(path + ".validate")) {
      checks.argv(
          path + ".validate",
          file.getValidateList(),
          "validate, when given, is the argument list of a check command; give one or remove it");
    }
  }

  private void ownership(String path, String owner, String group, String mode) {
    names.ownerOrGroup(path + ".owner", "owner", owner);
    names.ownerOrGroup(path + ".group", "group", group);
    if (!mode.isEmpty() && !MODE.matcher(mode).matches()) {
      checks.fail(
          path + ".mode",
          "mode "
              + quote(mode)
              + " is not permission bits; use 3 octal digits, optionally after a 0, such as"
              + " \"0644\" (setuid, setgid and sticky bits are not supported)");
    }
  }

  private void gitRelease(GitRelease release, String path) {
    checks.path(path + ".root", release.getRoot(), true);
    if (release.getUrl().isEmpty()) {
      checks.fail(path + ".url", "url is required, such as \"https://example.com/app.git\"");
    } else if (RemoteUrl.lengthProblem(release.getUrl()) != null) {
      checks.fail(path + ".url", RemoteUrl.lengthProblem(release.getUrl()));
    } else if (!RemoteUrl.isSupported(release.getUrl())) {
      checks.fail(
          path + ".url",
          "url "
              + quote(RemoteUrl.redact(release.getUrl()))
              + " is not supported; use file://, https://, http://, ssh:// or user@host:path");
    }
    if (release.getRef().isBlank()) {
      checks.fail(path + ".ref", "ref is required: a branch, a tag or a full commit id");
    } else if (!release.getRef().strip().equals(release.getRef())
        || release.getRef().chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
      checks.fail(path + ".ref", "ref " + quote(release.getRef()) + " contains blanks");
    }
    if (!release.getCommit().isEmpty()) {
      checks.fail(
          path + ".commit",
          "commit is set by the controller when it resolves \"ref\"; remove it and put the commit"
              + " id in \"ref\" instead");
    }
    new StackGitChecks(checks)
        .validate(path, GitRemotes.Source.of(release), release.getHostKeyFingerprint());
    if (release.getKeep() < 0 || release.getKeep() > MAX_KEEP) {
      checks.fail(
          path + ".keep",
          "keep is "
              + release.getKeep()
              + "; use 1 to "
              + MAX_KEEP
              + " (0 means "
              + ManifestDefaults.DEFAULT_KEEP
              + ")");
    }
  }

  private void command(Command command, String path) {
    checks.argv(path + ".argv", command.getArgvList(), Checks.ARGV_REQUIRED);
    checks.path(path + ".working_dir", command.getWorkingDir(), false);
    checks.path(path + ".creates", command.getCreates(), false);
    checks.path(path + ".done_marker", command.getDoneMarker(), false);
    checks.path(path + ".env_file", command.getEnvFile(), false);
    names.account(path + ".user", "user", command.getUser(), false);
    int timeout = command.getTimeoutSeconds();
    if (timeout < 0 || timeout > MAX_TIMEOUT_SECONDS) {
      checks.fail(
          path + ".timeout_seconds",
          "timeout_seconds is "
              + timeout
              + "; use 1 to "
              + MAX_TIMEOUT_SECONDS
              + " (0 means "
              + ManifestDefaults.DEFAULT_TIMEOUT_SECONDS
              + ")");
    }
    for (Map.Entry<String, String> variable : command.getEnvMap().entrySet()) {
      String field = path + ".env[" + quote(variable.getKey()) + "]";
      if (!ENV_NAME.matcher(variable.getKey()).matches()) {
        checks.fail(
            field,
            "environment variable name "
                + quote(variable.getKey())
                + " is not valid; use letters, digits and \"_\", not starting with a digit");
      } else if (variable.getValue().indexOf('\0') >= 0) {
        checks.fail(field, "the value of " + variable.getKey() + " contains a NUL character");
      }
    }
    if (command.getUnlessCount() > 0 || checks.written(path + ".unless")) {
      checks.argv(
          path + ".unless",
          command.getUnlessList(),
          "unless, when given, is the argument list of a check command; give one or remove it");
    }
  }
}
