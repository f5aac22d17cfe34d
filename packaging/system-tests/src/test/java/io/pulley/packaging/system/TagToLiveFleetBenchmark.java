package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tag push → live on all hosts, end to end (docs/benchmarks.md): three pristine servers running the
 * sample site, the controller tracking its tags with a canary-first rollout, and for each push the
 * time until every server's site answers with the new version — once with the push webhook, then
 * with polling alone at each interval asked for. Run with `sudo packaging/bench/tag-to-live.sh
 * [PUSHES] [POLL_SECONDS...]`.
 */
public final class TagToLiveFleetBenchmark {
  private static final int HOSTS = 3;
  private static final String SECRET_NAME = "forge-hook";
  private static final Duration WARM = Duration.ofMinutes(6);
  private static final Duration WATCH_EVERY = Duration.ofMillis(100);
  private static final Pattern APPLIED_AT = Pattern.compile("\"appliedAt\": \"([^\"]+)\"");
  private static final Pattern NUMBER = Pattern.compile("\"number\": \"?(\\d+)");
  private static final Pattern TRIGGER = Pattern.compile("\"trigger\": \"([^\"]*)\"");
  private static final Pattern FINISHED_AT = Pattern.compile("\"finishedAt\": \"([^\"]+)\"");

  private final TrackedFleet fleet;
  private final String secret;
  private final Random random = new Random(1);
  private final HttpClient http;
  private int revision = 1;
  private int minor = 0;

  private TagToLiveFleetBenchmark(TrackedFleet fleet, String secret) throws IOException {
    this.fleet = fleet;
    this.secret = secret;
    this.http = fleet.webhookClient();
  }

  /**
   * One push: when the controller stored it, when the first and the last site served it, and when
   * the rollout had every host's report of it live.
   */
  record Push(
      String mode, Duration stored, Duration firstLive, Duration allLive, Duration succeeded) {}

  public static void main(String[] args) throws Exception {
    int pushes = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<Integer> polls =
        args.length > 1
            ? Arrays.stream(args, 1, args.length).map(Integer::valueOf).toList()
            : List.of(15);
    Path work = Files.createTempDirectory("pulley-tag-to-live-");
    List<Push> measured = new ArrayList<>();
    try (TrackedFleet fleet = TrackedFleet.start(work, HOSTS)) {
      String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
      HostController.Cli set =
          fleet
              .controller()
              .pulleyWithInput(
                  secret, "secret", "set", TrackedFleet.APP, TrackedFleet.ENV, SECRET_NAME);
      if (set.exitCode() != 0) {
        throw new IllegalStateException("pulley secret set failed: " + set.err());
      }
      TagToLiveFleetBenchmark benchmark = new TagToLiveFleetBenchmark(fleet, secret);
      measured.addAll(benchmark.run("webhook", 0, pushes));
      for (int seconds : polls) {
        measured.addAll(benchmark.run("polling " + seconds + " s", seconds, pushes));
      }
    }
    System.out.println();
    System.out.println(table(measured));
  }

  /** Tracks tags in one mode (poll seconds 0: the webhook, polling hourly), then pushes. */
  private List<Push> run(String mode, int pollSeconds, int pushes) throws Exception {
    String track =
        pollSeconds == 0
            ? "track: {tags: \"v*\", interval_seconds: 3600, webhook_secret: " + SECRET_NAME + "}"
            : "track: {tags: \"v*\", interval_seconds: " + pollSeconds + "}";
    // The newest tag as the ref: this revision deploys what is already live.
    fleet.applyDelivered(
        "v1." + minor + ".0",
        track + "\nrollout: {canary: 1, bake_seconds: 0, host_timeout_seconds: 600}\n");
    fleet.awaitRollout(++revision, "succeeded", WARM);
    List<Push> pushed = new ArrayList<>();
    for (int i = 0; i < pushes; i++) {
      // A push at a random moment of the polling cycle, not always just after a read.
      long cycle = pollSeconds == 0 ? 1000 : pollSeconds * 1000L;
      Thread.sleep((long) (random.nextDouble() * cycle));
      pushed.add(push(mode, pollSeconds == 0));
    }
    return pushed;
  }

  private Push push(String mode, boolean webhook) throws Exception {
    String version = "1." + ++minor + ".0";
    String tag = "v" + version;
    fleet.release(version, tag);
    Instant pushedAt = Instant.now();
    if (webhook) {
      postPushEvent(tag);
    }
    List<Instant> live = awaitLive(version, pushedAt.plus(WARM));
    revision++;
    String json = fleet.controller().pulley("-o", "json", "revision", "shop", "production").out();
    check(json, mode, webhook, tag);
    Instant stored = Instant.parse(first(APPLIED_AT, json));
    // The next push waits for this rollout to end, or it would supersede it.
    fleet.awaitRollout(revision, "succeeded", WARM);
    String rollout =
        fleet.controller().pulley("-o", "json", "rollout", "status", "shop", "production").out();
    Instant succeeded = Instant.parse(first(FINISHED_AT, rollout));
    Push push =
        new Push(
            mode,
            Duration.between(pushedAt, stored),
            Duration.between(pushedAt, live.stream().min(Instant::compareTo).orElseThrow()),
            Duration.between(pushedAt, live.stream().max(Instant::compareTo).orElseThrow()),
            Duration.between(pushedAt, succeeded));
    System.out.printf(
        Locale.ROOT,
        "%s %s: stored %.2f s, first host %.2f s, all %d hosts %.2f s, rollout succeeded %.2f s%n",
        mode,
        tag,
        seconds(push.stored()),
        seconds(push.firstLive()),
        HOSTS,
        seconds(push.allLive()),
        seconds(push.succeeded()));
    return push;
  }

  /** What a forge sends after a push: the ref, signed with the shared secret (GitHub's form). */
  private void postPushEvent(String tag) throws Exception {
    byte[] body = ("{\"ref\":\"refs/tags/" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(fleet.webhookUrl()))
            .header("X-GitHub-Event", "push")
            .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException("the webhook answered " + response.statusCode());
    }
  }

  /** When each server's site first answered with {@code version}. */
  private List<Instant> awaitLive(String version, Instant deadline) throws Exception {
    List<PristineServer> servers = fleet.servers();
    Map<PristineServer, Instant> live = new LinkedHashMap<>();
    while (live.size() < servers.size()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            version + " live on " + live.size() + " of " + servers.size() + " hosts in time");
      }
      for (PristineServer server : servers) {
        if (!live.containsKey(server) && version.equals(TrackedFleet.version(server))) {
          live.put(server, Instant.now());
        }
      }
      Thread.sleep(WATCH_EVERY.toMillis());
    }
    return List.copyOf(live.values());
  }

  // A revision from the wrong tag, or noticed the other way, would make the figure a lie.
  private void check(String json, String mode, boolean webhook, String tag) {
    String number = first(NUMBER, json);
    String trigger = first(TRIGGER, json);
    String seenBy = webhook ? "seen by the GitHub webhook" : "seen by polling";
    if (!number.equals(Integer.toString(revision))
        || !trigger.contains("tag " + tag + " ")
        || !trigger.endsWith(seenBy)) {
      throw new IllegalStateException(
          mode + ": revision " + number + " (" + trigger + "), expected " + revision + ", " + tag);
    }
  }

  private static String first(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    if (!matcher.find()) {
      throw new IllegalStateException("no " + pattern + " in " + text);
    }
    return matcher.group(1);
  }

  private static String table(List<Push> pushes) {
    Map<String, List<Push>> byMode = new LinkedHashMap<>();
    pushes.forEach(p -> byMode.computeIfAbsent(p.mode(), m -> new ArrayList<>()).add(p));
    double webhook = median(byMode.values().iterator().next(), Push::allLive);
    StringBuilder table =
        new StringBuilder(
            "| mode | pushes | push → stored | push → first host serves it | push → all "
                + HOSTS
                + " hosts serve it (min–max) | all serve it ÷ webhook's"
                + " | push → rollout succeeded |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
    byMode.forEach(
        (mode, list) -> {
          double all = median(list, Push::allLive);
          table.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %d | %.2f s | %.2f s | %.2f s (%.2f–%.2f) | %.2f× | %.2f s |%n",
                  mode,
                  list.size(),
                  median(list, Push::stored),
                  median(list, Push::firstLive),
                  all,
                  list.stream().mapToDouble(p -> seconds(p.allLive())).min().orElse(0),
                  list.stream().mapToDouble(p -> seconds(p.allLive())).max().orElse(0),
                  all / webhook,
                  median(list, Push::succeeded)));
        });
    return table.toString();
  }

  private static double median(List<Push> pushes, Function<Push, Duration> of) {
    double[] sorted = pushes.stream().mapToDouble(p -> seconds(of.apply(p))).sorted().toArray();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
