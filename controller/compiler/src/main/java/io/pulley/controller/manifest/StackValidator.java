package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.re2j.Pattern;
import io.pulley.controller.stack.StackDefaults;
import io.pulley.v1.Stack;
import io.pulley.v1.StackCelery;
import io.pulley.v1.StackDumps;
import io.pulley.v1.StackFail2ban;
import io.pulley.v1.StackGit;
import io.pulley.v1.StackPython;
import io.pulley.v1.StackRedis;
import io.pulley.v1.StackWeb;
import io.pulley.wire.Cidr;

/**
 * Checks the {@code stack} section: required fields, names, numbers, and every value that the
 * renderer writes into a configuration file ({@link ConfigText}). The site, settings and health
 * parts are checked by {@link StackSiteChecks}. Each field is checked as written (0 or empty
 * standing for its default); values are compared with each other as they will be rendered, with the
 * defaults filled in. Not thread-safe: one per compilation.
 */
final class StackValidator {

  static final Pattern STACK_NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");
  static final Pattern PYTHON_REFERENCE =
      Pattern.compile(
          "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*(:[A-Za-z_][A-Za-z0-9_]*)?");

  /** A WSGI reference may also name an application factory, which uWSGI calls without arguments. */
  static final Pattern WSGI_REFERENCE =
      Pattern.compile(
          "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*(:[A-Za-z_][A-Za-z0-9_]*(\\(\\))?)?");

  static final Pattern RELATIVE_PATH =
      // Segments after the first may start with "." but are neither "." nor "..", spelt out
      // without lookahead so that RE2 accepts the pattern.
      Pattern.compile(
          "[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*"
              + "(/([A-Za-z0-9_@+-][A-Za-z0-9._@+-]*"
              + "|\\.[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*"
              + "|\\.\\.[A-Za-z0-9._@+-]+))*");
  static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9_.-]+");
  static final int MAX_SECONDS = 86_400;

  private final Checks checks;
  private final ConfigText text;
  private final Names names;

  StackValidator(Checks checks) {
    this.checks = checks;
    this.text = new ConfigText(checks);
    this.names = new Names(checks);
  }

  /** Checks {@code stack}, as written; {@code filled} is the same with its defaults filled in. */
  void validate(Stack stack, Stack filled) {
    if (!stack.getName().isEmpty()) {
      text.matches(
          "stack.name",
          "name",
          stack.getName(),
          STACK_NAME,
          "use lower-case letters, digits and \"-\", starting with a letter, at most 31"
              + " characters (it names the system user)");
    }
    String reserved = ReservedStackNames.reason(filled.getName());
    if (!reserved.isEmpty()) {
      checks.fail("stack.name", reserved);
    }
    text.path("stack.root", stack.getRoot(), false);
    git(stack.getGit());
    python(stack.getPython());
    for (int i = 0; i < stack.getPackagesCount(); i++) {
      names.debianPackage("stack.packages[" + i + "]", stack.getPackages(i));
    }
    for (int i = 0; i < stack.getPackagesWithRecommendsCount(); i++) {
      names.debianPackage(
          "stack.packages_with_recommends[" + i + "]", stack.getPackagesWithRecommends(i));
    }
    web(stack.getWeb());
    new StackSiteChecks(checks).validate(stack, filled);
    if (stack.hasCelery()) {
      celery(stack);
    }
    if (stack.hasDatabase()) {
      names.sqlIdentifier("stack.database.name", "name", stack.getDatabase().getName(), false);
      for (int i = 0; i < stack.getDatabase().getExtensionsCount(); i++) {
        names.extension(
            "stack.database.extensions[" + i + "]", stack.getDatabase().getExtensions(i));
      }
      StackDumps dumps = stack.getDatabase().getDumps();
      text.range(
          "stack.database.dumps.keep",
          dumps.getKeep(),
          1,
          ResourceValidator.MAX_KEEP,
          StackDefaults.KEEP);
      text.range(
          "stack.database.dumps.timeout_seconds", dumps.getTimeoutSeconds(), 1, 86_400, 3600);
    }
    if (stack.hasRedis()) {
      redis(stack.getRedis());
    }
    if (stack.hasFirewall()) {
      new FirewallChecks(checks).stack(stack.getFirewall(), "stack.firewall");
    }
    if (stack.hasFail2Ban()) {
      fail2ban(stack.getFail2Ban());
    }
    String rebootAt = stack.getSecurityUpgrades().getRebootAt();
    if (!rebootAt.isEmpty() && !TimeOfDay.valid(rebootAt)) {
      checks.fail(
          "stack.security_upgrades.reboot_at",
          "reboot_at " + quote(rebootAt) + " is not a time of day; use HH:MM, such as \"04:00\"");
    }
    if (stack.hasMail()) {
      new StackMailChecks(checks).validate(stack.getMail());
    }
    new StackReleaseChecks(checks, text).validate(stack);
    new StackDjangoChecks(checks, text, this).validate(stack);
    new StackEnvironmentChecks(checks).validate(stack);
  }

  private void fail2ban(StackFail2ban fail2ban) {
    text.range("stack.fail2ban.max_retry", fail2ban.getMaxRetry(), 1, 1000, 5);
    text.range("stack.fail2ban.find_time_seconds", fail2ban.getFindTimeSeconds(), 1, 604_800, 600);
    text.range("stack.fail2ban.ban_time_seconds", fail2ban.getBanTimeSeconds(), 1, 31_536_000, 600);
    for (int i = 0; i < fail2ban.getIgnoreFromCount(); i++) {
      try {
        Cidr.parse(fail2ban.getIgnoreFrom(i));
      } catch (IllegalArgumentException e) {
        checks.fail("stack.fail2ban.ignore_from[" + i + "]", e.getMessage());
      }
    }
  }

  private void git(StackGit git) {
    String url = git.getUrl();
    if (url.isEmpty()) {
      checks.fail("stack.git.url", "git.url is required, such as \"https://example.com/app.git\"");
    } else if (RemoteUrl.lengthProblem(url) != null) {
      checks.fail("stack.git.url", RemoteUrl.lengthProblem(url));
    } else if (!RemoteUrl.isSupported(url) || url.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      checks.fail(
          "stack.git.url",
          "url "
              + quote(RemoteUrl.redact(url))
              + " is not supported; use file://, https://, http://, ssh:// or user@host:path,"
              + " without blanks");
    }
    String ref = git.getRef();
    if (ref.isBlank()) {
      checks.fail("stack.git.ref", "git.ref is required: a branch, a tag or a full commit id");
    } else if (ref.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      checks.fail("stack.git.ref", "ref " + quote(ref) + " contains blanks or control characters");
    }
    if (!git.getCommit().isEmpty()) {
      checks.fail(
          "stack.git.commit",
          "commit is set by the controller when it resolves \"ref\"; remove it and put the commit"
              + " id in \"ref\" instead");
    }
    text.range("stack.git.keep", git.getKeep(), 1, ResourceValidator.MAX_KEEP, StackDefaults.KEEP);
    new StackGitChecks(checks)
        .validate("stack.git", GitRemotes.Source.of(git), git.getHostKeyFingerprint());
  }

  private void python(StackPython python) {
    text.path("stack.python.interpreter", python.getInterpreter(), false);
    if (!python.getRequirements().isEmpty()) {
      relativePath("stack.python.requirements", "requirements", python.getRequirements());
    }
    for (int i = 0; i < python.getPipArgsCount(); i++) {
      String field = "stack.python.pip_args[" + i + "]";
      if (python.getPipArgs(i).isEmpty()) {
        checks.fail(field, "a pip argument is empty");
      } else {
        text.line(field, "pip argument", python.getPipArgs(i));
      }
    }
  }

  void relativePath(String field, String what, String path) {
    text.matches(
        field,
        what,
        path,
        RELATIVE_PATH,
        "use a path relative to the release, such as \"requirements.txt\" or \"app/static\":"
            + " letters, digits, \".\", \"_\", \"@\", \"+\", \"-\" and \"/\", no \".\" or \"..\""
            + " segments, no leading or trailing \"/\"");
  }

  private void web(StackWeb web) {
    if (web.getWsgi().isEmpty()) {
      checks.fail(
          "stack.web.wsgi",
          "web.wsgi is required: the WSGI callable, such as \"myapp.wsgi:application\"");
    } else {
      wsgiReference(web.getWsgi());
    }
    text.range("stack.web.processes", web.getProcesses(), 1, 1024, "one per CPU");
    text.range("stack.web.threads", web.getThreads(), 1, 256, StackDefaults.THREADS);
    text.range(
        "stack.web.harakiri", web.getHarakiri(), 1, MAX_SECONDS, StackDefaults.HARAKIRI_SECONDS);
    text.range(
        "stack.web.max_requests", web.getMaxRequests(), 1, 10_000_000, StackDefaults.MAX_REQUESTS);
    text.range(
        "stack.web.listen",
        web.getListen(),
        1,
        4096,
        StackDefaults.LISTEN + "; uWSGI refuses more than net.core.somaxconn, 4096 on Debian 12");
    text.range("stack.web.buffer_size", web.getBufferSize(), 1, 65_535, StackDefaults.BUFFER_SIZE);
    text.range(
        "stack.web.drain_seconds", web.getDrainSeconds(), 1, 600, StackDefaults.DRAIN_SECONDS);
    // The handover's words are checked as they are read (ManifestKeys).
  }

  private void wsgiReference(String value) {
    if (value.endsWith(")") && !value.endsWith("()") && value.indexOf('(') > 0) {
      checks.fail(
          "stack.web.wsgi",
          "uWSGI calls an application factory without arguments, such as \"myapp:create_app()\";"
              + " for arguments, write a module that calls it (application = create_app(...))");
      return;
    }
    text.matches(
        "stack.web.wsgi",
        "wsgi",
        value,
        WSGI_REFERENCE,
        "use a dotted Python module name, optionally followed by \":attribute\" or an application"
            + " factory \":function()\", such as \"myapp.wsgi:application\" or"
            + " \"flaskr:create_app()\"");
  }

  private void pythonReference(String field, String what, String value) {
    text.matches(
        field,
        what,
        value,
        PYTHON_REFERENCE,
        "use a dotted Python module name, optionally followed by \":attribute\", such as"
            + " \"myapp.wsgi:application\"");
  }

  private void celery(Stack stack) {
    StackCelery celery = stack.getCelery();
    if (celery.getApp().isEmpty()) {
      checks.fail(
          "stack.celery.app",
          "celery.app is required: the Celery application, such as \"myapp.tasks\"");
    } else {
      pythonReference("stack.celery.app", "app", celery.getApp());
    }
    for (int i = 0; i < celery.getQueuesCount(); i++) {
      text.matches(
          "stack.celery.queues[" + i + "]",
          "queue",
          celery.getQueues(i),
          QUEUE,
          "use letters, digits, \"_\", \".\" and \"-\"");
    }
    text.range("stack.celery.concurrency", celery.getConcurrency(), 1, 1024, "one per CPU");
    text.range(
        "stack.celery.stop_timeout_seconds",
        celery.getStopTimeoutSeconds(),
        1,
        MAX_SECONDS,
        StackDefaults.WORKER_STOP_TIMEOUT_SECONDS);
    if (celery.getNoWorker() && !celery.getBeat()) {
      checks.fail("stack.celery.no_worker", "no_worker without beat runs nothing; remove celery");
    }
    if (!stack.hasRedis()) {
      checks.fail(
          "stack.celery",
          "celery needs a broker: add a \"redis:\" section (an empty one, \"redis: {}\", uses"
              + " the defaults)");
    }
  }

  private void redis(StackRedis redis) {
    text.range("stack.redis.cache_db", redis.getCacheDb(), 1, 15, StackDefaults.CACHE_DB);
    text.range("stack.redis.broker_db", redis.getBrokerDb(), 1, 15, StackDefaults.BROKER_DB);
    // One left out is chosen at apply beside the other (and beside other stacks on its hosts).
    if (redis.getCacheDb() != 0 && redis.getCacheDb() == redis.getBrokerDb()) {
      checks.fail(
          "stack.redis.broker_db",
          "broker_db and cache_db are both "
              + redis.getCacheDb()
              + "; give the Celery broker its own database");
    }
  }
}
