package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A staging copy of the sample site on the first server of a {@link TrackedFleet}, following the
 * sample's {@code main} branch, from which production is promoted: what the rollout system test
 * uses to show that production gets exactly the commit staging ran healthy. Staging has its own
 * stack name, domain, database and Redis databases, so that it shares the server with production's
 * copy as a staging server of its own would be.
 */
final class StagingPromotion {
  static final String ENV = "staging";
  static final String DOMAIN = "staging.shop.example.test";

  private final TrackedFleet fleet;
  private final Path work;
  private final String host;

  StagingPromotion(TrackedFleet fleet, Path work) {
    this.fleet = fleet;
    this.work = work;
    this.host = fleet.hosts().get(0);
  }

  /** The staging server's id (web-1). */
  String host() {
    return host;
  }

  /** Applies staging: the production sample on one server, tracking main every 5 s. */
  void apply() throws Exception {
    String production =
        Files.readString(
            SampleStackManifest.delivered(
                work,
                fleet.repository().url(),
                "main",
                "track: {branch: main, interval_seconds: 5}\n"));
    String staging =
        replaced(
            production,
            Map.of(
                "environment: production",
                "environment: staging",
                "name: shop-production",
                "name: shop-staging",
                "domains: [shop.example.test]",
                "domains: [" + DOMAIN + "]",
                "redis: {}",
                "redis: {cache_db: 5, broker_db: 6}",
                "    role: web\n",
                "    role: web\n  host_ids: [" + host + "]\n"));
    fleet.apply(Files.writeString(work.resolve("shop-staging.yaml"), staging));
  }

  /** Applies production with these top-level delivery sections, at {@code ref}. */
  void applyProduction(String ref, String delivery) throws Exception {
    fleet.applyDelivered(ref, delivery);
  }

  /** Commits a healthy {@code version} to main, untagged, and returns its commit. */
  String push(String version) throws Exception {
    return fleet
        .repository()
        .commit(Map.of("pulley_sample/VERSION", version + "\n"), "version " + version);
  }

  /** Waits until the staging server reports staging's revision {@code revision} healthy. */
  void awaitStagingOn(int revision, Duration atMost) throws Exception {
    ControllerPoll.await(
        fleet.controller(),
        () ->
            fleet
                .controller()
                .pulley("status")
                .out()
                .lines()
                .anyMatch(
                    l ->
                        l.startsWith(host + " ")
                            && l.contains("healthy")
                            && l.contains(TrackedFleet.APP + "/" + ENV + "#" + revision)),
        atMost,
        "staging revision " + revision + " healthy on " + host);
  }

  /** The version staging's site answers with. */
  String stagingVersion() throws IOException {
    PristineServer server = fleet.servers().get(0);
    return new SiteClient(server.address(), 80, DOMAIN).get("/").header("X-Version");
  }

  /** The commit production's current revision deploys. */
  String productionCommit() throws Exception {
    String revision =
        fleet
            .controller()
            .pulley("revision", TrackedFleet.APP, TrackedFleet.ENV, "-o", "json")
            .out();
    int at = revision.indexOf("\"commit\":");
    if (at < 0) {
      throw new AssertionError("no commit in production's revision: " + revision);
    }
    int start = revision.indexOf('"', at + "\"commit\":".length()) + 1;
    return revision.substring(start, revision.indexOf('"', start));
  }

  private static String replaced(String text, Map<String, String> replacements) {
    String result = text;
    for (Map.Entry<String, String> replacement : replacements.entrySet()) {
      if (!result.contains(replacement.getKey())) {
        throw new IllegalStateException("the sample manifest has no " + replacement.getKey());
      }
      result = result.replace(replacement.getKey(), replacement.getValue());
    }
    return result;
  }
}
