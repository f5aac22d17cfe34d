package io.pulley.packaging.system;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.PristineServer;
import io.pulley.packaging.harness.ServerFleet;
import io.pulley.packaging.harness.TestNetwork;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pristine servers running the sample site from one controller that serves push webhooks, and the
 * sample's Git repository to tag releases in: what the rollout system test and the tag-to-live
 * benchmark share. The site's domain is {@code shop.example.test}, each server answers with its
 * release's version in {@code X-Version}.
 */
final class TrackedFleet implements AutoCloseable {
  static final String APP = "shop";
  static final String ENV = "production";
  private static final Duration COLD = Duration.ofMinutes(20);
  private static final Logger log = LoggerFactory.getLogger(TrackedFleet.class);

  private final ServerFleet fleet;
  private final HostController controller;
  private final SampleRepository repository;
  private final List<String> hosts;
  private final int webhookPort;
  private final Path work;

  private TrackedFleet(
      ServerFleet fleet,
      HostController controller,
      SampleRepository repository,
      List<String> hosts,
      int webhookPort,
      Path work) {
    this.fleet = fleet;
    this.controller = controller;
    this.repository = repository;
    this.hosts = hosts;
    this.webhookPort = webhookPort;
    this.work = work;
  }

  /**
   * Boots {@code count} servers named web-1…, enrols them for stacks, tags v1.0.0 and deploys it to
   * all at once (no rollout policy yet: the cold start is the same for every test).
   */
  static TrackedFleet start(Path work, int count) throws Exception {
    ServerFleet fleet = ServerFleet.boot(DebianImage.trixie(), count);
    HostController controller = null;
    SampleRepository repository = null;
    try {
      int webhookPort = freePort();
      controller =
          HostController.start(
              TestNetwork.HOST_ADDRESS,
              work,
              List.of("--webhook-listen", TestNetwork.HOST_ADDRESS + ":" + webhookPort));
      repository =
          SampleRepository.seededFrom(
              Artifacts.sampleApplication(), work.resolve("git"), TestNetwork.HOST_ADDRESS);
      List<String> hosts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        hosts.add("web-" + (i + 1));
      }
      installAndEnrollEach(fleet, controller, hosts);
      TrackedFleet tracked =
          new TrackedFleet(fleet, controller, repository, hosts, webhookPort, work);
      tracked.release("1.0.0", "v1.0.0");
      tracked.apply(SampleStackManifest.production(work, repository.url(), "v1.0.0"));
      tracked.awaitEveryHostOn(1, COLD);
      return tracked;
    } catch (Exception | Error e) {
      SampleSite.closeAll(repository, controller, fleet);
      throw e;
    }
  }

  /** Installs and enrols the agent on every server at once: each is a server's own apt run. */
  private static void installAndEnrollEach(
      ServerFleet fleet, HostController controller, List<String> hosts) {
    fleet.eachAtOnce(
        (index, server) -> {
          String host = hosts.get(index);
          AgentOnServer.install(server, Artifacts.agentDeb()).orThrow();
          AgentOnServer.enrollForStacks(server, controller.invite("web"), host, "web");
          log.info("{} has the agent, enrolled", host);
        });
  }

  HostController controller() {
    return controller;
  }

  SampleRepository repository() {
    return repository;
  }

  List<String> hosts() {
    return hosts;
  }

  /** Where the controller takes push webhooks for the sample: {@code https://…/hooks/shop/…}. */
  String webhookUrl() {
    return "https://" + TestNetwork.HOST_ADDRESS + ":" + webhookPort + "/hooks/" + APP + "/" + ENV;
  }

  /**
   * A client for {@link #webhookUrl()}: it trusts the controller's CA, which issued the server
   * certificate the webhook listener serves, as a forge given that CA would.
   */
  HttpClient webhookClient() throws IOException {
    return ControllerCa.trustingClient(controller.caCertificate());
  }

  /** Applies the production site with these top-level delivery sections (track, rollout). */
  void applyDelivered(String ref, String delivery) throws Exception {
    apply(SampleStackManifest.delivered(work, repository.url(), ref, delivery));
  }

  void apply(Path manifest) throws Exception {
    HostController.Cli apply = controller.pulley("apply", "-f", manifest.toString());
    if (apply.exitCode() != 0) {
      throw new IllegalStateException("pulley apply failed: " + apply);
    }
  }

  /** Tags a healthy release of {@code version}, committing it first unless the head is one. */
  void release(String version, String tag) throws Exception {
    String views = SampleHealth.healthy(repository.read(SampleHealth.VIEWS));
    boolean same =
        repository.read("pulley_sample/VERSION").strip().equals(version)
            && repository.read(SampleHealth.VIEWS).equals(views);
    if (!same) {
      repository.commit(
          Map.of("pulley_sample/VERSION", version + "\n", SampleHealth.VIEWS, views),
          "version " + version);
    }
    repository.tag(tag);
  }

  /** Tags a release whose health check answers 503, so that the handover refuses it. */
  void brokenRelease(String version, String tag) throws Exception {
    repository.commit(
        Map.of(
            "pulley_sample/VERSION",
            version + "\n",
            SampleHealth.VIEWS,
            SampleHealth.failing(repository.read(SampleHealth.VIEWS))),
        "a broken release");
    repository.tag(tag);
  }

  /** Waits until every host reports revision {@code revision} healthy. */
  void awaitEveryHostOn(int revision, Duration atMost) throws Exception {
    ControllerPoll.await(
        controller,
        () ->
            controller
                    .pulley("status")
                    .out()
                    .lines()
                    .filter(l -> l.contains(APP + "/" + ENV + "#" + revision))
                    .filter(l -> l.contains("healthy"))
                    .count()
                == hosts.size(),
        atMost,
        "every host healthy on revision " + revision);
  }

  /** Waits until the newest rollout is of {@code revision} and has {@code status}. */
  void awaitRollout(int revision, String status, Duration atMost) throws Exception {
    ControllerPoll.await(
        controller,
        () -> rolloutStatus().contains(APP + "/" + ENV + " revision " + revision + ": " + status),
        atMost,
        "rollout of revision " + revision + " " + status);
  }

  String rolloutStatus() throws Exception {
    return controller.pulley("rollout", "status", APP, ENV).out();
  }

  /** The version each server's site answers with, in host order. */
  List<String> versions() throws IOException {
    List<String> versions = new ArrayList<>();
    for (PristineServer server : fleet.servers()) {
      versions.add(version(server));
    }
    return versions;
  }

  List<PristineServer> servers() {
    return fleet.servers();
  }

  static String version(PristineServer server) throws IOException {
    return new SiteClient(server.address(), 80, "shop.example.test").get("/").header("X-Version");
  }

  @Override
  public void close() {
    SampleSite.closeAll(repository, controller, fleet);
  }

  // The webhook listener takes a fixed port; one the kernel just handed out is free in practice.
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
