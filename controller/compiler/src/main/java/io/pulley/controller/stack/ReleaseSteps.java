package io.pulley.controller.stack;

import io.pulley.v1.Command;
import io.pulley.v1.DatabaseDump;
import io.pulley.v1.GitRelease;
import io.pulley.v1.Handover;
import io.pulley.v1.HealthCheck;
import io.pulley.v1.ReleaseLink;
import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import io.pulley.v1.StackCommand;
import io.pulley.v1.StackDumps;
import io.pulley.v1.StackHealth;
import io.pulley.v1.StackPython;
import io.pulley.v1.StackSite;
import io.pulley.v1.Virtualenv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The release part of a stack: check out, make the venv, run the checks and commands (once per
 * release each), then hand the traffic over and check health. Stateless; reads the stack with its
 * defaults filled in, so the handover always carries its drain and request timeout.
 */
final class ReleaseSteps {

  /** The queue a Celery worker consumes when started without -Q: Celery's own default. */
  static final String CELERY_DEFAULT_QUEUE = "celery";

  /**
   * How long the agent's calls through the Celery command line (ping, cancel_consumer) may take.
   */
  static final int CELERY_CONTROL_TIMEOUT_SECONDS = 60;

  /** Exits 0 when 127.0.0.1 accepts a connection on the port in argv[1] within 5 s. */
  static final String ACCEPTS =
      "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 5).close()";

  private ReleaseSteps() {}

  /**
   * The database's dump before the release's commands, once in each release; on one host if the
   * first command runs on one.
   */
  private static Resource dump(StackLayout layout, Stack stack, boolean oncePerEnvironment) {
    StackDumps dumps = stack.getDatabase().getDumps();
    return StackRenderer.resource(
        "dump:database",
        r ->
            r.setDatabaseDump(
                DatabaseDump.newBuilder()
                    .setDatabase(layout.databaseName())
                    .setDir(layout.dumps())
                    .setLabel(layout.commit().substring(0, 12))
                    .setDoneMarker(layout.release() + "/.pulley-done/dump-database")
                    .setKeep(dumps.getKeep())
                    .setTimeoutSeconds(dumps.getTimeoutSeconds())
                    .setOncePerEnvironment(oncePerEnvironment)));
  }

  /**
   * Last, with a dump before the commands: whether they changed the database's schema, which {@code
   * pulley rollback} tells the admin. On the dump's host, which ran them.
   */
  static Optional<Resource> schemaSince(List<Resource> prepared) {
    return prepared.stream()
        .filter(resource -> resource.getId().equals("dump:database"))
        .findFirst()
        .map(
            dump -> {
              Resource.Builder schema = dump.toBuilder().setId(StackRenderer.SCHEMA_ID);
              schema.getDatabaseDumpBuilder().setSchemaSince(true);
              return schema.build();
            });
  }

  /** Everything that makes and checks the new release while the old one still serves. */
  static List<Resource> prepare(StackLayout layout, Stack stack) {
    List<Resource> resources = new ArrayList<>();
    resources.add(
        StackRenderer.resource(
            "release:checkout",
            r ->
                r.setGitRelease(
                    GitRelease.newBuilder()
                        .setRoot(layout.root())
                        .setUrl(stack.getGit().getUrl())
                        .setRef(stack.getGit().getRef())
                        .setCommit(layout.commit())
                        .setKeep(stack.getGit().getKeep())
                        .setCheckoutOnly(true)
                        .setDeployKeySecret(stack.getGit().getDeployKeySecret())
                        .setTokenSecret(stack.getGit().getTokenSecret())
                        .setUsername(stack.getGit().getUsername())
                        .setHostKey(stack.getGit().getHostKey())
                        .setHostKeyFingerprint(stack.getGit().getHostKeyFingerprint())
                        .setSubmodules(stack.getGit().getSubmodules())
                        .putAllLinks(sharedLinks(layout, stack)))));
    resources.add(StackRenderer.resource("venv", r -> r.setVirtualenv(virtualenv(layout, stack))));
    resources.add(
        command(
            layout,
            stack,
            "check:import",
            List.of(
                layout.release() + "/venv/bin/python",
                "-c",
                "import " + UwsgiIni.importable(stack.getWeb().getWsgi())),
            StackDefaults.COMMAND_TIMEOUT_SECONDS,
            "check-import",
            false));
    List<StackCommand> steps = new ArrayList<>(DjangoSteps.commands(stack));
    steps.addAll(stack.getCommandsList());
    boolean dumped = !stack.hasDatabase() || stack.getDatabase().getDumps().getDisabled();
    for (StackCommand step : steps) {
      Resource command = StackCommands.resource(layout, stack, step);
      // The data as it was before the release's first command (migrations), on its host.
      if (!dumped) {
        resources.add(dump(layout, stack, command.getCommand().getOncePerEnvironment()));
        dumped = true;
      }
      resources.add(command);
    }
    return resources;
  }

  /**
   * The switch to the new release and what follows it: nginx's own changes (already tested by nginx
   * -t), the handover of uWSGI and the worker, current and pruning, beat, the health check.
   */
  static List<Resource> golive(StackLayout layout, Stack stack) {
    List<Resource> resources = new ArrayList<>();
    List<String> siteFiles = new ArrayList<>(List.of("file:nginx-site"));
    if (stack.getSite().getHtpasswdCount() > 0) {
      siteFiles.add("file:htpasswd");
    }
    // Before the handover: its check through nginx needs the site, which names the socket link.
    // Checked by what it serves, like the backing services: the site's port accepts.
    resources.add(
        StackRenderer.probed(
            StackRenderer.service("service:nginx", "nginx.service", "", List.of(), siteFiles),
            "python3",
            "-c",
            ACCEPTS,
            Integer.toString(stack.getSite().getHttpPort())));
    // After nginx: the site's jail reads the error log nginx opens when it loads the site.
    resources.addAll(StackFail2banJails.render(layout, stack));
    resources.add(StackRenderer.resource("handover", r -> r.setHandover(handover(layout, stack))));
    resources.add(
        StackRenderer.resource(
            "release:switch",
            r ->
                r.setReleaseLink(
                    ReleaseLink.newBuilder()
                        .setRoot(layout.root())
                        .setCommit(layout.commit())
                        .setKeep(stack.getGit().getKeep()))));
    if (stack.hasCelery() && stack.getCelery().getBeat()) {
      // Beat follows current: a restart stops the old one before the new starts, never two.
      resources.add(
          StackRenderer.service(
              "service:celery-beat",
              layout.beatUnit(),
              SystemdUnits.celeryBeat(layout, stack),
              List.of("handover", "file:settings", "file:environment"),
              List.of()));
    }
    resources.add(StackRenderer.resource("health", r -> r.setHealthCheck(health(stack))));
    return resources;
  }

  private static Handover.Builder handover(StackLayout layout, Stack stack) {
    Handover.Builder handover =
        Handover.newBuilder()
            .setRoot(layout.root())
            .setCommit(layout.commit())
            .setMode(stack.getWeb().getHandoverMode())
            .setWebUnit(layout.uwsgiTemplate())
            .setWebUnitContent(SystemdUnits.uwsgi(layout, stack))
            .setRunDir(layout.runDir())
            .setSocketLink(layout.socket())
            .setWebCheck(health(stack))
            .setSiteCheck(health(stack))
            .setDrainSeconds(stack.getWeb().getDrainSeconds())
            .setRequestTimeoutSeconds(stack.getWeb().getHarakiri())
            .addRetiredWebUnits(layout.uwsgiUnit())
            .addAllRestartOn(List.of("file:settings", "file:uwsgi-ini"))
            .addFreshStartOn("file:environment");
    if (stack.getSite().hasCache()) {
      // Emptied once the previous release's instance has stopped: none of its responses is left.
      handover.setCacheDir(layout.nginxCache());
    }
    if (stack.getSite().getWebsocket()) {
      handover.setHttpSocketLink(layout.httpSocket());
      // Open WebSockets never make the old instance idle: wait for them this long, not harakiri.
      handover.setRequestTimeoutSeconds(
          Math.min(stack.getWeb().getHarakiri(), stack.getSite().getWebsocketDrainSeconds()));
    }
    if (stack.hasCelery() && !stack.getCelery().getNoWorker()) {
      handover
          .setWorkerUnit(layout.workerTemplate())
          .setWorkerUnitContent(SystemdUnits.celeryWorker(layout, stack))
          .setWorkerNodePrefix(layout.name() + "-")
          .addAllWorkerQueues(
              stack.getCelery().getQueuesCount() == 0
                  ? List.of(CELERY_DEFAULT_QUEUE)
                  : stack.getCelery().getQueuesList())
          .setWorkerCelery(
              Command.newBuilder()
                  .addAllArgv(
                      List.of(
                          layout.release() + "/venv/bin/python",
                          "-m",
                          "celery",
                          "-A",
                          stack.getCelery().getApp()))
                  .setWorkingDir(layout.release())
                  .setEnvFile(layout.environmentFile())
                  .setUser(layout.name())
                  .setTimeoutSeconds(CELERY_CONTROL_TIMEOUT_SECONDS))
          .addRetiredWorkerUnits(layout.workerUnit());
    }
    return handover;
  }

  private static Map<String, String> sharedLinks(StackLayout layout, Stack stack) {
    Map<String, String> links = new TreeMap<>();
    for (String dir : stack.getSharedDirsList()) {
      links.put(dir, layout.sharedDir(dir));
    }
    return links;
  }

  private static Virtualenv.Builder virtualenv(StackLayout layout, Stack stack) {
    StackPython python = stack.getPython();
    Virtualenv.Builder venv =
        Virtualenv.newBuilder()
            .setPath(layout.release() + "/venv")
            .setPython(python.getInterpreter())
            .setSystemSitePackages(python.getSystemSitePackages())
            .addAllPipArgs(python.getPipArgsList());
    if (!python.getRequirements().isEmpty()) {
      venv.setRequirements(layout.release() + "/" + python.getRequirements());
    }
    if (!python.getSkipInstall()) {
      venv.setInstall(layout.release());
    }
    return venv;
  }

  private static Resource command(
      StackLayout layout,
      Stack stack,
      String id,
      List<String> argv,
      int timeout,
      String markerName,
      boolean oncePerEnvironment) {
    return StackRenderer.resource(
        id,
        r ->
            r.setCommand(
                StackCommands.inRelease(layout)
                    .addAllArgv(argv)
                    .setTimeoutSeconds(timeout)
                    .setDoneMarker(layout.release() + "/.pulley-done/" + markerName)
                    .setOncePerEnvironment(oncePerEnvironment)));
  }

  private static HealthCheck.Builder health(Stack stack) {
    StackSite site = stack.getSite();
    StackHealth health = stack.getHealth();
    // A site with an ACME certificate answers its health check over HTTP, before and after the
    // certificate exists.
    boolean https = site.hasTls() && !site.getTls().hasAcme();
    String url =
        https
            ? "https://127.0.0.1:" + site.getTls().getPort()
            : "http://127.0.0.1:" + site.getHttpPort();
    return HealthCheck.newBuilder()
        .setUrl(url + health.getPath())
        .setHostHeader(site.getDomains(0))
        .setExpectStatus(health.getExpectStatus())
        .setExpectBody(health.getExpectBody())
        .setDeadlineSeconds(health.getDeadlineSeconds())
        .setInsecureTls(https);
  }
}
