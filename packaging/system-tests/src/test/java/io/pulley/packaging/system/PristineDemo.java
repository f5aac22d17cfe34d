package io.pulley.packaging.system;

import io.pulley.packaging.harness.DebianRelease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The newcomer's tour (`./demo.sh`): a controller on this machine, a pristine Debian server (13
 * unless PULLEY_DEBIAN=12) with systemd, the agent installed from its .deb, and the sample Pyramid
 * application deployed by its stack manifest — nginx, uWSGI, Celery, PostgreSQL and Redis — then a
 * new release, a release that fails its checks while the live one keeps serving, and a rollback.
 */
public final class PristineDemo {
  private static final Duration COLD = Duration.ofMinutes(20);
  private static final Duration WARM = Duration.ofMinutes(5);
  private static final String APP_ENV = "shop/production";

  private PristineDemo() {}

  public static void main(String[] args) throws Exception {
    boolean keep = args.length > 0 && args[0].equals("--keep");
    Path work = Files.createTempDirectory("pulley-demo-");
    DebianRelease release = DebianRelease.fromEnvironment();
    say("A pristine " + release + " server, a controller here, the agent's .deb installed on it");
    try (SampleSite sample = SampleSite.start(work, "demo", release)) {
      HostController controller = sample.controller();
      SampleRepository repository = sample.repository();
      SiteClient site = sample.site("shop.example.test");
      System.out.println(
          "server at "
              + sample.server().address()
              + ", controller at "
              + controller.address()
              + ", sample repository at "
              + repository.url());
      print(sample.server().execOrThrow("systemctl", "is-active", "pulley-agent").stdout());

      say("Mutual TLS: the agent enrolled with a one-use token from `pulley token create`");
      System.out.println(
          sample.invitation().token()
              + "\n  (written to "
              + AgentOnServer.TOKEN
              + " on the server; it pins the controller's CA and is used up now)");
      System.out.print(controller.pulley("hosts").out());

      say("pulley apply -f shop-production.yaml  (the whole site in one stack section)");
      Path manifest = SampleStackManifest.production(work, repository.url(), "main");
      System.out.print(Files.readString(manifest));
      System.out.print(controller.pulley("apply", "-f", manifest.toString()).out());
      System.out.println(
          "… the agent installs nginx, uWSGI, PostgreSQL, Redis and Python packages with apt,"
              + " creates the user, database and release (a few minutes the first time)");
      StatusReport cold = sample.awaitApplyOf(APP_ENV, 1, "", COLD);
      System.out.print(controller.pulley("status", SampleSite.HOST).out());
      if (!cold.succeeded()) {
        throw new IllegalStateException("the first deploy failed; see the status above");
      }

      say("The site, through nginx on the server (Host: shop.example.test)");
      show(site, "/");
      show(site, "/health");
      SiteClient.Response enqueued = site.get("/enqueue?message=hello-from-the-demo");
      System.out.println("GET /enqueue?message=… → task " + enqueued.body().strip());
      String id = enqueued.body().strip();
      awaitTask(site, id);
      show(site, "/tasks/" + id);
      SiteClient.Response css = site.get("/static/style.css");
      System.out.println("GET /static/style.css → " + css.status() + " (served by nginx itself)");
      print(sample.psql("shop_production", "select id, message, done_at from task"));

      say("A new release: commit version 2.0.0, apply");
      repository.commit(Map.of("pulley_sample/VERSION", "2.0.0\n"), "version 2.0.0");
      int second = sample.apply(manifest);
      sample.awaitApplyOf(APP_ENV, second, sample.status().lastApply(), WARM);
      show(site, "/");
      print(sample.server().execOrThrow("ls", "/srv/shop-production/releases").stdout());

      say("A release whose import fails: rejected, version 2.0.0 keeps serving");
      repository.commit(
          Map.of(
              "pulley_sample/__init__.py",
              repository.read("pulley_sample/__init__.py") + "\nimport no_such_module\n"),
          "a broken release");
      String before = sample.status().lastApply();
      int broken = sample.apply(manifest);
      StatusReport failed = sample.awaitApplyOf(APP_ENV, broken, before, WARM);
      print(
          failed.text().lines().filter(l -> l.contains("failed") || l.contains("Error")).toList());
      show(site, "/");

      say("pulley rollback shop production 1");
      before = sample.status().lastApply();
      int back = sample.rollback("shop", "production", 1);
      sample.awaitApplyOf(APP_ENV, back, before, WARM);
      show(site, "/");
      System.out.print(controller.pulley("history", "shop", "production").out());

      if (keep) {
        say(
            "Still running. In another terminal: export PULLEY_CONTROLLER="
                + controller.address()
                + "; java -jar controller/app/target/pulley-controller.jar status "
                + SampleSite.HOST
                + ". Press Enter to stop.");
        System.in.read();
      }
      say("Done; the server, the controller and the repository are being removed");
    }
  }

  private static void show(SiteClient site, String path) throws Exception {
    SiteClient.Response response = site.get(path);
    System.out.println(
        "GET "
            + path
            + " → "
            + response.status()
            + ", X-Version: "
            + response.header("X-Version")
            + ", body: "
            + response.body().strip());
  }

  private static void awaitTask(SiteClient site, String id) throws Exception {
    for (int i = 0; i < 120; i++) {
      if (site.get("/tasks/" + id).body().contains("\"done\"")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("task " + id + " was not done by the Celery worker");
  }

  private static void say(String text) {
    System.out.println();
    System.out.println("\033[1m== " + text + "\033[0m");
  }

  private static void print(String text) {
    System.out.print(text.endsWith("\n") ? text : text + "\n");
  }

  private static void print(List<String> lines) {
    lines.forEach(System.out::println);
  }
}
