package io.pulley.controller.stack;

import com.google.re2j.Pattern;
import io.pulley.v1.Database;
import io.pulley.v1.Directory;
import io.pulley.v1.File;
import io.pulley.v1.Group;
import io.pulley.v1.Manifest;
import io.pulley.v1.Package;
import io.pulley.v1.Resource;
import io.pulley.v1.Service;
import io.pulley.v1.ServiceState;
import io.pulley.v1.Stack;
import io.pulley.v1.User;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a manifest's {@code stack} section into resources, in the order that keeps the live
 * release serving until the new one is prepared and checked: host setup, configuration, release,
 * checks, switch, restarts, health check. Pure and thread-safe: the same manifest always gives the
 * same resources. The manifest must be validated and its stack's Git ref pinned to a commit. The
 * templates read the stack with its defaults filled in ({@link StackDefaults}) and know none.
 */
public final class StackRenderer {
  /**
   * The id of the check, after a release's commands, of whether they changed the database's schema;
   * its reason is what {@code pulley rollback} passes on.
   */
  public static final String SCHEMA_ID = "schema:database";

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  private StackRenderer() {}

  /** The resources of {@code manifest}'s stack; empty when it has none. */
  public static List<Resource> render(Manifest manifest) {
    if (!manifest.hasStack()) {
      return List.of();
    }
    Stack stack = StackDefaults.filled(manifest);
    StackLayout layout = StackLayout.of(manifest, stack);
    if (!COMMIT.matcher(layout.commit()).matches()) {
      throw new IllegalArgumentException(
          "stack.git.commit must be pinned before rendering, was \"" + layout.commit() + "\"");
    }
    List<Resource> resources = new ArrayList<>();
    resources.add(
        resource(
            "package:stack",
            r -> r.setPackage(Package.newBuilder().addAllNames(StackLayout.packages(stack)))));
    if (stack.getPackagesWithRecommendsCount() > 0) {
      resources.add(
          resource(
              "package:stack-recommends",
              r ->
                  r.setPackage(
                      Package.newBuilder()
                          .addAllNames(stack.getPackagesWithRecommendsList())
                          .setInstallRecommends(true))));
    }
    // Before any service listens: the site's ports are open once nginx starts.
    resources.add(resource("firewall", r -> r.setFirewall(StackFirewallRules.of(stack))));
    resources.addAll(StackMailRelay.render(layout, stack));
    account(resources, layout);
    directories(resources, layout, stack.getSharedDirsList());
    if (DjangoSteps.servesStatic(stack)) {
      // The application writes it (collectstatic), nginx reads it: world-readable, like a release.
      directory(resources, DjangoSteps.staticRoot(layout), layout.name(), layout.name(), "0755");
    }
    if (stack.getSite().hasCache()) {
      // nginx's workers write it; nothing else reads it.
      directory(resources, layout.nginxCache(), "www-data", "www-data", "0700");
    }
    backingServices(resources, layout, stack);
    configuration(resources, layout, stack);
    List<Resource> prepared = ReleaseSteps.prepare(layout, stack);
    resources.addAll(prepared);
    resources.addAll(ReleaseSteps.golive(layout, stack));
    resources.addAll(StackAcmeCertificate.render(layout, stack));
    ReleaseSteps.schemaSince(prepared).ifPresent(resources::add);
    return List.copyOf(resources);
  }

  private static void account(List<Resource> resources, StackLayout layout) {
    String name = layout.name();
    resources.add(resource("group:" + name, r -> r.setGroup(Group.newBuilder().setName(name))));
    resources.add(
        resource(
            "user:" + name,
            r ->
                r.setUser(
                    User.newBuilder()
                        .setName(name)
                        .setGroup(name)
                        .setHome(layout.root())
                        .setShell("/usr/sbin/nologin"))));
  }

  private static void directories(
      List<Resource> resources, StackLayout layout, List<String> sharedDirs) {
    String root = layout.root();
    String name = layout.name();
    directory(resources, root, "root", "root", "0755");
    directory(resources, root + "/releases", "root", "root", "0755");
    directory(resources, root + "/shared", "root", "root", "0755");
    directory(resources, layout.config(), "root", name, "0750");
    for (String own : List.of("log", "data", "celerybeat")) {
      directory(resources, root + "/shared/" + own, name, name, "0750");
    }
    // What the application writes, linked into each release (release:checkout's links).
    for (String dir : sharedDirs) {
      if (!dir.equals("data")) {
        directory(resources, layout.sharedDir(dir), name, name, "0750");
      }
    }
  }

  private static void directory(
      List<Resource> resources, String path, String owner, String group, String mode) {
    resources.add(directory(path, owner, group, mode));
  }

  static Resource directory(String path, String owner, String group, String mode) {
    return resource(
        "directory:" + path,
        r ->
            r.setDirectory(
                Directory.newBuilder()
                    .setPath(path)
                    .setOwner(owner)
                    .setGroup(group)
                    .setMode(mode)));
  }

  /** A oneshot unit that only its timer starts: written, kept stopped, not enabled at boot. */
  static Resource timerStarted(String id, String unitName, String unit) {
    Resource.Builder service = service(id, unitName, unit, List.of(), List.of()).toBuilder();
    service.getServiceBuilder().setState(ServiceState.SERVICE_STATE_STOPPED).setDisabled(true);
    return service.build();
  }

  private static void backingServices(List<Resource> resources, StackLayout layout, Stack stack) {
    // Checked by what they serve: Debian's postgresql.service stays active while its cluster
    // (postgresql@VERSION-main) is down.
    if (stack.hasDatabase()) {
      resources.add(
          probed(
              service("service:postgresql", "postgresql.service", "", List.of(), List.of()),
              "pg_isready",
              "--quiet"));
    }
    if (stack.hasRedis()) {
      resources.add(
          probed(
              service("service:redis", "redis-server.service", "", List.of(), List.of()),
              "redis-cli",
              "ping"));
    }
    if (stack.hasDatabase()) {
      String db = layout.databaseName();
      resources.add(
          resource(
              "database:" + db,
              r ->
                  r.setDatabase(
                      Database.newBuilder()
                          .setName(db)
                          .setOwner(db)
                          .setPasswordSecret(StackLayout.DATABASE_PASSWORD_SECRET)
                          .addAllExtensions(stack.getDatabase().getExtensionsList()))));
    }
  }

  /** A file with secret placeholders the host fills in: root's, readable by the app's group. */
  private static Resource secretsFile(String id, String path, String content, String group) {
    return file(
        id,
        File.newBuilder()
            .setPath(path)
            .setContent(content)
            .setOwner("root")
            .setGroup(group)
            .setMode("0640")
            .setSensitive(true));
  }

  private static void configuration(List<Resource> resources, StackLayout layout, Stack stack) {
    String name = layout.name();
    resources.add(
        secretsFile(
            "file:settings", layout.settingsFile(), SettingsIni.render(layout, stack), name));
    resources.add(
        secretsFile(
            "file:environment",
            layout.environmentFile(),
            StackEnvironment.render(layout, stack),
            name));
    resources.add(
        file(
            "file:uwsgi-ini",
            File.newBuilder()
                .setPath(layout.uwsgiIni())
                .setContent(UwsgiIni.render(layout, stack))
                .setOwner("root")
                .setGroup(name)
                .setMode("0640")));
    resources.add(
        file(
            "file:nginx-site",
            File.newBuilder()
                .setPath(layout.nginxSiteFile())
                .setContent(NginxSite.render(layout, stack))
                .setOwner("root")
                .setGroup("root")
                .setMode("0644")
                .addAllValidate(List.of("nginx", "-t"))));
    directory(resources, StackMotd.DIR, "root", "root", "0755");
    resources.add(
        file("file:motd", publicFile(StackMotd.path(layout), StackMotd.render(layout, stack))));
    if (stack.getSite().getHtpasswdCount() > 0) {
      resources.add(
          file(
              "file:htpasswd",
              File.newBuilder()
                  .setPath(layout.htpasswdFile())
                  .setContent(String.join("\n", stack.getSite().getHtpasswdList()) + "\n")
                  .setOwner("root")
                  .setGroup("www-data")
                  .setMode("0640")));
    }
    resources.addAll(StackSecurityUpgradesFile.render(layout, stack));
  }

  static Resource service(
      String id, String unitName, String unit, List<String> restartOn, List<String> reloadOn) {
    return resource(
        id,
        r ->
            r.setService(
                Service.newBuilder()
                    .setName(unitName)
                    .setUnit(unit)
                    .setState(ServiceState.SERVICE_STATE_RUNNING)
                    .addAllRestartOn(restartOn)
                    .addAllReloadOn(reloadOn)));
  }

  static Resource probed(Resource service, String... argv) {
    Resource.Builder probed = service.toBuilder();
    probed.getServiceBuilder().getProbeBuilder().addAllArgv(List.of(argv));
    return probed.build();
  }

  static Resource file(String id, File.Builder file) {
    return resource(id, r -> r.setFile(file));
  }

  /** Configuration without secrets: root's, readable by everyone (0644). */
  static File.Builder publicFile(String path, String content) {
    return File.newBuilder()
        .setPath(path)
        .setContent(content)
        .setOwner("root")
        .setGroup("root")
        .setMode("0644");
  }

  static Resource resource(String id, java.util.function.Consumer<Resource.Builder> kind) {
    Resource.Builder builder = Resource.newBuilder().setId(id);
    kind.accept(builder);
    return builder.build();
  }
}
