package io.pulley.controller.manifest;

import io.pulley.v1.Stack;
import io.pulley.v1.StackCelery;
import io.pulley.v1.StackDatabase;
import io.pulley.v1.StackDjango;
import io.pulley.v1.StackSettings;
import io.pulley.v1.StackSite;
import io.pulley.v1.StackWeb;
import java.util.List;

/**
 * The parts of a stack that the application's code depends on, which a promotion carries from the
 * source environment to the target with the commit: what the code is built and run with (Python,
 * Debian packages, WSGI entry point, Celery app and queues, Django's management, the settings
 * section it reads, its commands, static files, shared directories, database extensions, health
 * check). Everything else — where and how big the site runs (domains, TLS, hosts, processes,
 * secrets, settings values, firewall…) — stays the target's, including any field not named in
 * {@link #CARRIED}. Stateless.
 */
public final class CodeSettings {
  /**
   * The stack fields a promotion carries, as a manifest writes them (the ref with the source's
   * commit): the list docs/rollouts.md gives users, which a test holds it to.
   */
  public static final List<String> CARRIED =
      List.of(
          "git.ref",
          "git.submodules",
          "python",
          "packages",
          "packages_with_recommends",
          "web.wsgi",
          "site.static_url",
          "site.static_dir",
          "celery.app",
          "celery.queues",
          "database.extensions",
          "settings.use",
          "commands",
          "health",
          "shared_dirs",
          "django.manage",
          "django.migrate",
          "django.collectstatic");

  private CodeSettings() {}

  /** Only the code-side settings of {@code stack} (its Git ref and commit among them). */
  public static Stack of(Stack stack) {
    Stack.Builder code = Stack.newBuilder();
    code.getGitBuilder()
        .setRef(stack.getGit().getRef())
        .setCommit(stack.getGit().getCommit())
        .setSubmodules(stack.getGit().getSubmodules());
    if (stack.hasPython()) {
      code.setPython(stack.getPython());
    }
    code.addAllPackages(stack.getPackagesList())
        .addAllPackagesWithRecommends(stack.getPackagesWithRecommendsList())
        .addAllCommands(stack.getCommandsList())
        .addAllSharedDirs(stack.getSharedDirsList());
    if (stack.hasHealth()) {
      code.setHealth(stack.getHealth());
    }
    code.setWeb(StackWeb.newBuilder().setWsgi(stack.getWeb().getWsgi()))
        .setSite(
            StackSite.newBuilder()
                .setStaticUrl(stack.getSite().getStaticUrl())
                .setStaticDir(stack.getSite().getStaticDir()))
        .setCelery(
            StackCelery.newBuilder()
                .setApp(stack.getCelery().getApp())
                .addAllQueues(stack.getCelery().getQueuesList()))
        .setDatabase(
            StackDatabase.newBuilder().addAllExtensions(stack.getDatabase().getExtensionsList()))
        .setSettings(StackSettings.newBuilder().setUse(stack.getSettings().getUse()))
        .setDjango(
            StackDjango.newBuilder()
                .setManage(stack.getDjango().getManage())
                .setMigrate(stack.getDjango().getMigrate())
                .setCollectstatic(stack.getDjango().getCollectstatic()));
    return code.build();
  }

  /** Whether two stacks have the same code-side settings. */
  public static boolean same(Stack a, Stack b) {
    return of(a).equals(of(b));
  }

  /**
   * Gives {@code target} the code-side settings of {@code source} but its commit, keeping the rest
   * of it. A section only the source has is created in the target with its code-side fields alone;
   * the target's sections keep their other fields.
   */
  public static void carry(Stack source, Stack.Builder target) {
    // The ref only: its commit is what the compiler's resolver pins it to, as for any manifest.
    target
        .getGitBuilder()
        .setRef(source.getGit().getRef())
        .setSubmodules(source.getGit().getSubmodules());
    if (source.hasPython()) {
      target.setPython(source.getPython());
    } else {
      target.clearPython();
    }
    target.clearPackages().addAllPackages(source.getPackagesList());
    target
        .clearPackagesWithRecommends()
        .addAllPackagesWithRecommends(source.getPackagesWithRecommendsList());
    target.clearCommands().addAllCommands(source.getCommandsList());
    target.clearSharedDirs().addAllSharedDirs(source.getSharedDirsList());
    if (source.hasHealth()) {
      target.setHealth(source.getHealth());
    } else {
      target.clearHealth();
    }
    if (source.hasWeb() || target.hasWeb()) {
      target.getWebBuilder().setWsgi(source.getWeb().getWsgi());
    }
    if (source.hasSite() || target.hasSite()) {
      target
          .getSiteBuilder()
          .setStaticUrl(source.getSite().getStaticUrl())
          .setStaticDir(source.getSite().getStaticDir());
    }
    carryCelery(source, target);
    if (source.hasDatabase() || target.hasDatabase()) {
      target
          .getDatabaseBuilder()
          .clearExtensions()
          .addAllExtensions(source.getDatabase().getExtensionsList());
    }
    if (source.hasSettings() || target.hasSettings()) {
      target.getSettingsBuilder().setUse(source.getSettings().getUse());
    }
    if (source.hasDjango() || target.hasDjango()) {
      target
          .getDjangoBuilder()
          .setManage(source.getDjango().getManage())
          .setMigrate(source.getDjango().getMigrate())
          .setCollectstatic(source.getDjango().getCollectstatic());
    }
  }

  // A worker needs its app; the target keeps its own concurrency, beat and stop timeout.
  private static void carryCelery(Stack source, Stack.Builder target) {
    if (!source.hasCelery()) {
      target.clearCelery();
      return;
    }
    target
        .getCeleryBuilder()
        .setApp(source.getCelery().getApp())
        .clearQueues()
        .addAllQueues(source.getCelery().getQueuesList());
  }
}
