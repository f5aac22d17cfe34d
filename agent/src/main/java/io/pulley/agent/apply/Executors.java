package io.pulley.agent.apply;

import io.pulley.agent.apply.command.CommandExecutor;
import io.pulley.agent.apply.fs.DirectoryExecutor;
import io.pulley.agent.apply.fs.FileExecutor;
import io.pulley.agent.apply.git.GitReleaseExecutor;
import io.pulley.agent.apply.health.HealthCheckExecutor;
import io.pulley.agent.apply.postgres.DatabaseExecutor;
import io.pulley.agent.apply.python.VirtualenvExecutor;
import io.pulley.v1.Resource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One executor per resource kind, and the routing of a resource to its executor. Adding a kind to
 * the contract means adding its executor here. Used from the apply thread only.
 */
public final class Executors {
  private final ResourceExecutor<io.pulley.v1.Directory> directories;
  private final ResourceExecutor<io.pulley.v1.File> files;
  private final ResourceExecutor<io.pulley.v1.GitRelease> releases;
  private final ResourceExecutor<io.pulley.v1.Command> commands;
  private final ResourceExecutor<io.pulley.v1.Virtualenv> virtualenvs;
  private final ResourceExecutor<io.pulley.v1.Database> databases;
  private final ResourceExecutor<io.pulley.v1.HealthCheck> healthChecks;

  Executors(
      ResourceExecutor<io.pulley.v1.Directory> directories,
      ResourceExecutor<io.pulley.v1.File> files,
      ResourceExecutor<io.pulley.v1.GitRelease> releases,
      ResourceExecutor<io.pulley.v1.Command> commands,
      ResourceExecutor<io.pulley.v1.Virtualenv> virtualenvs,
      ResourceExecutor<io.pulley.v1.Database> databases,
      ResourceExecutor<io.pulley.v1.HealthCheck> healthChecks) {
    this.directories = directories;
    this.files = files;
    this.releases = releases;
    this.commands = commands;
    this.virtualenvs = virtualenvs;
    this.databases = databases;
    this.healthChecks = healthChecks;
  }

  /** The real executors, writing only under {@code allowedRoots}. */
  public static Executors forRoots(List<Path> allowedRoots) {
    PathGuard guard = new PathGuard(allowedRoots);
    return new Executors(
        new DirectoryExecutor(guard),
        new FileExecutor(guard),
        new GitReleaseExecutor(guard),
        new CommandExecutor(),
        new VirtualenvExecutor(guard),
        new DatabaseExecutor(),
        new HealthCheckExecutor());
  }

  Convergence converge(Resource resource, ApplyContext context) throws IOException {
    return switch (resource.getKindCase()) {
      case DIRECTORY -> directories.converge(resource.getDirectory(), context);
      case FILE -> files.converge(resource.getFile(), context);
      case GIT_RELEASE -> releases.converge(resource.getGitRelease(), context);
      case COMMAND -> commands.converge(resource.getCommand(), context);
      case VIRTUALENV -> virtualenvs.converge(resource.getVirtualenv(), context);
      case DATABASE -> databases.converge(resource.getDatabase(), context);
      case HEALTH_CHECK -> healthChecks.converge(resource.getHealthCheck(), context);
      case KIND_NOT_SET -> Convergence.failed("resource has no kind");
      default ->
          Convergence.failed(
              "resource kind " + resource.getKindCase() + " is not supported by this agent");
    };
  }
}
