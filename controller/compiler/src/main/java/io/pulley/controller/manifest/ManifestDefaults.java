package io.pulley.controller.manifest;

import io.pulley.controller.stack.StackDefaults;
import io.pulley.v1.Command;
import io.pulley.v1.GitRelease;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;

/**
 * Writes the resources' defaults into a compiled manifest, so that a stored revision says
 * explicitly what the agent will do. Empty owners, groups and modes stay empty: they mean "leave as
 * it is". A release keeps, and a command may take, what a stack's do: one number each, in {@link
 * StackDefaults}.
 */
final class ManifestDefaults {

  static final int DEFAULT_KEEP = StackDefaults.KEEP;
  static final int DEFAULT_TIMEOUT_SECONDS = StackDefaults.COMMAND_TIMEOUT_SECONDS;
  static final String DEFAULT_WORKING_DIR = "/";

  private ManifestDefaults() {}

  /** The id of a resource: its own, or "kind:path" ("command:program" for a command). */
  static String idOf(Resource resource) {
    if (!resource.getId().isEmpty()) {
      return resource.getId();
    }
    return switch (resource.getKindCase()) {
      case DIRECTORY -> "directory:" + resource.getDirectory().getPath();
      case FILE -> "file:" + resource.getFile().getPath();
      case GIT_RELEASE -> "git_release:" + resource.getGitRelease().getRoot();
      case COMMAND ->
          "command:"
              + (resource.getCommand().getArgvCount() == 0 ? "" : resource.getCommand().getArgv(0));
      case PACKAGE -> "package:" + String.join(",", resource.getPackage().getNamesList());
      case GROUP -> "group:" + resource.getGroup().getName();
      case USER -> "user:" + resource.getUser().getName();
      case VIRTUALENV -> "virtualenv:" + resource.getVirtualenv().getPath();
      case SERVICE -> "service:" + resource.getService().getName();
      case DATABASE -> "database:" + resource.getDatabase().getName();
      case DATABASE_DUMP -> "database_dump:" + resource.getDatabaseDump().getDatabase();
      case FIREWALL -> "firewall";
      case HEALTH_CHECK -> "health_check:" + resource.getHealthCheck().getUrl();
      case RELEASE_LINK -> "release_link:" + resource.getReleaseLink().getRoot();
      case HANDOVER -> "handover:" + resource.getHandover().getRoot();
      case KIND_NOT_SET -> "";
    };
  }

  static void fill(Manifest.Builder manifest) {
    for (Resource.Builder resource : manifest.getResourcesBuilderList()) {
      resource.setId(idOf(resource.build()));
      if (resource.hasGitRelease()) {
        fill(resource.getGitReleaseBuilder());
      } else if (resource.hasCommand()) {
        fill(resource.getCommandBuilder());
      } else if (resource.hasReleaseLink() && resource.getReleaseLink().getKeep() == 0) {
        resource.getReleaseLinkBuilder().setKeep(DEFAULT_KEEP);
      }
    }
  }

  private static void fill(GitRelease.Builder release) {
    if (release.getKeep() == 0) {
      release.setKeep(DEFAULT_KEEP);
    }
  }

  private static void fill(Command.Builder command) {
    if (command.getTimeoutSeconds() == 0) {
      command.setTimeoutSeconds(DEFAULT_TIMEOUT_SECONDS);
    }
    if (command.getWorkingDir().isEmpty()) {
      command.setWorkingDir(DEFAULT_WORKING_DIR);
    }
  }
}
