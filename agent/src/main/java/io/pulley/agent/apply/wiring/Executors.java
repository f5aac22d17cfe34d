package io.pulley.agent.apply.wiring;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.apply.accounts.GroupExecutor;
import io.pulley.agent.apply.accounts.UserExecutor;
import io.pulley.agent.apply.apt.PackageExecutor;
import io.pulley.agent.apply.command.CommandExecutor;
import io.pulley.agent.apply.firewall.ControllerReach;
import io.pulley.agent.apply.firewall.FirewallExecutor;
import io.pulley.agent.apply.fs.DirectoryExecutor;
import io.pulley.agent.apply.fs.FileExecutor;
import io.pulley.agent.apply.git.GitReleaseExecutor;
import io.pulley.agent.apply.git.ReleaseLinkExecutor;
import io.pulley.agent.apply.handover.HandoverExecutor;
import io.pulley.agent.apply.health.HealthCheckExecutor;
import io.pulley.agent.apply.postgres.DatabaseExecutor;
import io.pulley.agent.apply.postgres.DumpExecutor;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.ProcessRunner;
import io.pulley.agent.apply.python.VirtualenvExecutor;
import io.pulley.agent.apply.systemd.ServiceExecutor;
import io.pulley.agent.facts.HostPython;
import io.pulley.v1.lite.Resource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One executor per resource kind, and the routing of a resource to its executor. Adding a kind to
 * the contract means adding its executor here. It sits above the executors' packages so that none
 * of them, nor the contract they implement, depends on it. Used from the apply thread only.
 */
public final class Executors implements ResourceExecutor<Resource> {
  private final FileExecutors files;
  private final ReleaseExecutors releases;
  private final SystemExecutors system;
  private final AppExecutors apps;

  /** The executors of files and directories. */
  record FileExecutors(
      ResourceExecutor<io.pulley.v1.lite.Directory> directories,
      ResourceExecutor<io.pulley.v1.lite.File> files) {

    static FileExecutors of(PathGuard guard) {
      return new FileExecutors(new DirectoryExecutor(guard), new FileExecutor(guard));
    }
  }

  /** The executors that prepare, check and switch releases. */
  record ReleaseExecutors(
      ResourceExecutor<io.pulley.v1.lite.GitRelease> checkouts,
      ResourceExecutor<io.pulley.v1.lite.ReleaseLink> links,
      ResourceExecutor<io.pulley.v1.lite.Command> commands) {

    static ReleaseExecutors of(PathGuard guard, CommandRunner runner) {
      return new ReleaseExecutors(
          new GitReleaseExecutor(guard),
          new ReleaseLinkExecutor(guard),
          new CommandExecutor(guard, runner));
    }
  }

  /** The executors that change the system through commands (apt, accounts, systemd). */
  record SystemExecutors(
      ResourceExecutor<io.pulley.v1.lite.Package> packages,
      ResourceExecutor<io.pulley.v1.lite.Group> groups,
      ResourceExecutor<io.pulley.v1.lite.User> users,
      ResourceExecutor<io.pulley.v1.lite.Service> services,
      ResourceExecutor<io.pulley.v1.lite.Firewall> firewalls) {

    static SystemExecutors of(PathGuard guard, CommandRunner runner, ControllerReach controller) {
      return new SystemExecutors(
          new PackageExecutor(runner),
          new GroupExecutor(runner),
          new UserExecutor(runner),
          new ServiceExecutor(guard, runner),
          new FirewallExecutor(controller));
    }
  }

  /**
   * The executors of what an application runs on: its Python, its database and the dumps of it, its
   * health, and the handover of its traffic to a new release.
   */
  record AppExecutors(
      ResourceExecutor<io.pulley.v1.lite.Virtualenv> virtualenvs,
      ResourceExecutor<io.pulley.v1.lite.Database> databases,
      ResourceExecutor<io.pulley.v1.lite.DatabaseDump> dumps,
      ResourceExecutor<io.pulley.v1.lite.HealthCheck> healthChecks,
      ResourceExecutor<io.pulley.v1.lite.Handover> handovers) {

    static AppExecutors of(PathGuard guard, CommandRunner runner) {
      return new AppExecutors(
          new VirtualenvExecutor(guard, runner, new HostPython()),
          new DatabaseExecutor(),
          new DumpExecutor(guard),
          new HealthCheckExecutor(),
          new HandoverExecutor(guard, runner));
    }
  }

  Executors(
      FileExecutors files, ReleaseExecutors releases, SystemExecutors system, AppExecutors apps) {
    this.files = files;
    this.releases = releases;
    this.system = system;
    this.apps = apps;
  }

  /**
   * The real executors, writing only under {@code allowedRoots}, without a controller to confirm a
   * firewall through: every firewall change is taken back.
   */
  public static Executors forRoots(List<Path> allowedRoots) {
    return forRoots(
        allowedRoots, within -> Optional.of("no controller to reach: the agent runs without one"));
  }

  /**
   * The real executors, writing only under {@code allowedRoots}; a firewall change stays only if
   * {@code controller} is reached through it.
   */
  public static Executors forRoots(List<Path> allowedRoots, ControllerReach controller) {
    PathGuard guard = new PathGuard(allowedRoots);
    CommandRunner runner = new ProcessRunner();
    return new Executors(
        FileExecutors.of(guard),
        ReleaseExecutors.of(guard, runner),
        SystemExecutors.of(guard, runner, controller),
        AppExecutors.of(guard, runner));
  }

  @Override
  public Convergence converge(Resource resource, ApplyContext context) throws IOException {
    return switch (resource.getKindCase()) {
      case DIRECTORY -> files.directories().converge(resource.getDirectory(), context);
      case FILE -> files.files().converge(resource.getFile(), context);
      case GIT_RELEASE -> releases.checkouts().converge(resource.getGitRelease(), context);
      case RELEASE_LINK -> releases.links().converge(resource.getReleaseLink(), context);
      case COMMAND -> releases.commands().converge(resource.getCommand(), context);
      case PACKAGE -> system.packages().converge(resource.getPackage(), context);
      case GROUP -> system.groups().converge(resource.getGroup(), context);
      case USER -> system.users().converge(resource.getUser(), context);
      case SERVICE -> system.services().converge(resource.getService(), context);
      case FIREWALL -> system.firewalls().converge(resource.getFirewall(), context);
      case VIRTUALENV -> apps.virtualenvs().converge(resource.getVirtualenv(), context);
      case DATABASE -> apps.databases().converge(resource.getDatabase(), context);
      case DATABASE_DUMP -> apps.dumps().converge(resource.getDatabaseDump(), context);
      case HEALTH_CHECK -> apps.healthChecks().converge(resource.getHealthCheck(), context);
      case HANDOVER -> apps.handovers().converge(resource.getHandover(), context);
      case KIND_NOT_SET -> Convergence.failed("resource has no kind");
    };
  }
}
