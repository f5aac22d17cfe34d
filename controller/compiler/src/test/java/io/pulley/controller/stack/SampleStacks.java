package io.pulley.controller.stack;

import io.pulley.v1.Manifest;
import io.pulley.v1.Stack;
import io.pulley.v1.StackCelery;
import io.pulley.v1.StackCommand;
import io.pulley.v1.StackDatabase;
import io.pulley.v1.StackGit;
import io.pulley.v1.StackPython;
import io.pulley.v1.StackRedis;
import io.pulley.v1.StackSettings;
import io.pulley.v1.StackSite;
import io.pulley.v1.StackTls;
import io.pulley.v1.StackWeb;

/** Stacks of the sample application, as compiled manifests (commit pinned). */
final class SampleStacks {

  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  static final String RELEASE = "/srv/pulley-sample/releases/" + COMMIT;

  private SampleStacks() {}

  /** Only what is required: code, WSGI callable, domain. */
  static Stack.Builder minimal() {
    return Stack.newBuilder()
        .setGit(
            StackGit.newBuilder()
                .setUrl("https://git.example.com/pulley-sample.git")
                .setRef("main")
                .setCommit(COMMIT))
        .setWeb(StackWeb.newBuilder().setWsgi("pulley_sample.wsgi"))
        .setSite(StackSite.newBuilder().addDomains("sample.example.com"));
  }

  /** Everything the sample uses: database, Redis, Celery worker and beat, a migration, statics. */
  static Stack.Builder full() {
    return minimal()
        .setPython(StackPython.newBuilder().setSystemSitePackages(true).addPipArgs("--no-index"))
        .addPackages("python3-pyramid")
        .setSite(
            StackSite.newBuilder()
                .addDomains("sample.example.com")
                .addDomains("www.sample.example.com")
                .setStaticDir("pulley_sample/static"))
        .setCelery(StackCelery.newBuilder().setApp("pulley_sample.tasks").setBeat(true))
        .setDatabase(StackDatabase.newBuilder().addExtensions("hstore"))
        .setRedis(StackRedis.getDefaultInstance())
        .setSettings(
            StackSettings.newBuilder()
                .putValues("sample.greeting", "Hello")
                .addSecrets("session.secret"))
        .addCommands(
            StackCommand.newBuilder()
                .setName("migrate")
                .addAllArgv(
                    java.util.List.of(
                        "python", "-m", "alembic", "-c", "alembic.ini", "upgrade", "head")))
        .putEnvironment("TZ", "UTC");
  }

  static Stack.Builder withTls(Stack.Builder stack) {
    stack
        .getSiteBuilder()
        .setTls(
            StackTls.newBuilder()
                .setCertificate("/etc/ssl/sample/fullchain.pem")
                .setKey("/etc/ssl/sample/privkey.pem"));
    return stack;
  }

  static Manifest manifest(Stack.Builder stack) {
    return Manifest.newBuilder()
        .setApplication("pulley-sample")
        .setEnvironment("staging")
        .setStack(stack)
        .build();
  }
}
