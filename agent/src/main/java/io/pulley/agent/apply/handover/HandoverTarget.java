package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.files.Symlinks;
import io.pulley.v1.lite.Handover;
import io.pulley.v1.lite.HandoverMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What one handover hands the site over to, and the names that follow from it: the release's
 * directory, its uWSGI instance and unit, its worker unit, the links nginx and the code are found
 * through. Reads the host only where a method says so.
 *
 * @param web the uWSGI template's instances
 * @param workers the Celery worker template's instances
 */
record HandoverTarget(
    Handover spec, ApplyContext context, Instances web, Instances workers, CurrentLink current) {

  /** The reload mode's one instance. */
  static final String LIVE = "live";

  static HandoverTarget of(Handover spec, ApplyContext context) {
    Path runDir = Path.of(spec.getRunDir());
    return new HandoverTarget(
        spec,
        context,
        new Instances(spec.getWebUnit(), runDir),
        new Instances(spec.getWorkerUnit(), runDir),
        new CurrentLink(Path.of(spec.getRoot())));
  }

  String commit() {
    return spec.getCommit();
  }

  /** The commit as reports show it. */
  String shortCommit() {
    return abbreviate(commit());
  }

  /** The release's directory, ROOT/releases/COMMIT. */
  Path release() {
    return Path.of(spec.getRoot(), "releases", commit());
  }

  boolean reloadMode() {
    return spec.getMode() == HandoverMode.HANDOVER_MODE_RELOAD;
  }

  /** The uWSGI instance that serves the release: its commit, or the reload mode's one instance. */
  String instance() {
    return reloadMode() ? LIVE : commit();
  }

  String webUnit() {
    return web.unit(instance());
  }

  boolean hasWorker() {
    return !spec.getWorkerUnit().isEmpty();
  }

  String workerUnit() {
    return workers.unit(commit());
  }

  /** The Celery node name of a worker instance, before "@HOST". */
  String node(String workerInstance) {
    return spec.getWorkerNodePrefix() + workerInstance;
  }

  /**
   * Whether a resource the live release depends on (settings, uWSGI's ini, its environment file)
   * changed: the worker then gets a warm restart, and uWSGI a graceful reload or a restart.
   */
  boolean restartWanted() {
    return spec.getRestartOnList().stream().anyMatch(context.changedResources()::contains)
        || freshStartWanted();
  }

  /**
   * Whether a resource changed that systemd reads only when it starts a unit (the environment
   * file): a graceful reload would keep the old one, so the live instance is restarted.
   */
  boolean freshStartWanted() {
    return spec.getFreshStartOnList().stream().anyMatch(context.changedResources()::contains);
  }

  /** The socket path nginx connects to: a link to the live instance's socket. */
  Path socketLink() {
    return Path.of(spec.getSocketLink());
  }

  /** The link to the live instance's HTTP socket (for WebSockets), if the site has one. */
  Optional<Path> httpSocketLink() {
    return spec.getHttpSocketLink().isEmpty()
        ? Optional.empty()
        : Optional.of(Path.of(spec.getHttpSocketLink()));
  }

  /** The instance the socket link points at now, if any. Reads the link. */
  Optional<String> liveInstance() throws IOException {
    return Symlinks.target(socketLink()).flatMap(Instances::ofSocket);
  }

  static String abbreviate(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }
}
