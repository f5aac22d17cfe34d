package io.pulley.controller.stack;

import io.pulley.v1.HandoverMode;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import io.pulley.v1.StackCache;
import io.pulley.v1.StackCommand;
import io.pulley.v1.StackHealth;
import io.pulley.v1.StackMail;
import io.pulley.v1.StackSite;
import io.pulley.v1.StackWeb;
import java.util.List;

/**
 * Every default of the stack section, applied here and nowhere else: {@link #filled} sets each
 * unset field to the value it stands for, so the templates and the checks that compare values read
 * explicit ones. The numbers are also those docs/stack.md and stack.proto promise, and those the
 * validators' messages quote. Stateless.
 *
 * <p>Only the copy that is rendered is filled; the stored manifest keeps the stack as written.
 * Filled, it would hash differently from every revision stored before, and re-applying an unchanged
 * manifest would make a new revision.
 *
 * <p>Two values stay unset because the host decides them: {@code web.processes} and {@code
 * celery.concurrency}, one per CPU. An empty {@code celery.queues} stays empty too: the worker is
 * then left on Celery's own default queue.
 */
public final class StackDefaults {

  public static final int KEEP = 5;

  /** How long pg_dump may take before a release's migrations. */
  static final int DUMP_TIMEOUT_SECONDS = 3600;

  /**
   * One thread per process: Debian 12's uWSGI 2.0.21 can hang a multi-threaded worker that recycles
   * (max-requests) or stops gracefully until the reload mercy (60 s) kills it, and with it the
   * requests it had accepted (fixed in uWSGI 2.0.25, unbit/uwsgi#2615).
   */
  public static final int THREADS = 1;

  public static final int HARAKIRI_SECONDS = 300;
  public static final int MAX_REQUESTS = 500;

  /**
   * The socket backlog: what holds the requests while no worker accepts (workers recycling at once,
   * a graceful reload's import, a CPU starved by a deploy): 1024 holds 0.2 s at 5000/s. uWSGI's own
   * default of 100 overflowed in the handover benchmark (502s, connect() EAGAIN); Debian 12's
   * net.core.somaxconn is 4096.
   */
  public static final int LISTEN = 1024;

  public static final int BUFFER_SIZE = 8192;
  public static final int DRAIN_SECONDS = 2;
  public static final int HTTP_PORT = 80;
  public static final int HTTPS_PORT = 443;
  public static final int HSTS_MAX_AGE_SECONDS = 63_072_000;
  public static final String STATIC_URL = "/static/";
  public static final String CLIENT_MAX_BODY_SIZE = "99m";
  public static final String WEBSOCKET_PATH = "/ws/";

  /**
   * How long the old release's WebSockets may run after the drain before its instance is stopped: a
   * connection that never ends would otherwise hold every deploy for the whole request timeout.
   */
  public static final int WEBSOCKET_DRAIN_SECONDS = 10;

  public static final String CACHE_MAX_SIZE = "1g";
  public static final int CACHE_VALID_SECONDS = 60;
  public static final List<String> CACHE_PATHS = List.of("/");

  /**
   * The cookies of a logged-in user by default: the session cookie of Pyramid's and Flask's
   * sessions ("session"), Django's ("sessionid"), Pyramid's AuthTkt ("auth_tkt") and Flask-Login's
   * ("remember_token"). Not Django's "csrftoken": anonymous visitors get it too.
   */
  public static final List<String> CACHE_BYPASS_COOKIES =
      List.of("session", "sessionid", "auth_tkt", "remember_token");

  /** nginx's own choice when uwsgi_cache_valid names no status. */
  public static final List<Integer> CACHE_STATUSES = List.of(200, 301, 302);

  public static final int WORKER_STOP_TIMEOUT_SECONDS = 600;
  public static final int CACHE_DB = 1;
  public static final int BROKER_DB = 3;
  public static final int COMMAND_TIMEOUT_SECONDS = 300;
  public static final String HEALTH_PATH = "/health";
  public static final int EXPECT_STATUS = 200;
  public static final int DEADLINE_SECONDS = 60;

  /** When unattended-upgrades mails its report: only when it upgraded something (or failed). */
  public static final String UPGRADE_REPORT = "on-change";

  private StackDefaults() {}

  /**
   * {@code resource} with the defaults a Handover rendered before they were always written: a
   * revision stored then says drain_seconds 0 where the stack left it unset, which the agent read
   * as 2 and now reads as "no pause". The stack's checks never let anyone write 0, so 0 can only
   * mean the default. Every other resource is returned as it is.
   */
  public static Resource inStoredResource(Resource resource) {
    if (!resource.hasHandover() || resource.getHandover().getDrainSeconds() != 0) {
      return resource;
    }
    Resource.Builder filled = resource.toBuilder();
    filled.getHandoverBuilder().setDrainSeconds(DRAIN_SECONDS);
    return filled.build();
  }

  /**
   * The stack of {@code manifest} with every default filled in, and its handover as {@code
   * handover_mode} even when a revision stored before the enum holds it as a word.
   */
  public static Stack filled(Manifest manifest) {
    Stack.Builder stack = HandoverWords.withMode(manifest).getStack().toBuilder();
    String name = or(stack.getName(), manifest.getApplication());
    stack.setName(name).setRoot(or(stack.getRoot(), "/srv/" + name));
    stack.getGitBuilder().setKeep(or(stack.getGit().getKeep(), KEEP));
    // No interpreter by default: each host's agent uses the python3 its Debian release makes the
    // default, the one that release's uWSGI plugin embeds (3.11 on Debian 12, 3.13 on 13).
    web(stack.getWebBuilder());
    site(stack.getSiteBuilder(), name);
    if (stack.hasCelery()) {
      stack
          .getCeleryBuilder()
          .setStopTimeoutSeconds(
              or(stack.getCelery().getStopTimeoutSeconds(), WORKER_STOP_TIMEOUT_SECONDS));
    }
    if (stack.hasDatabase()) {
      stack.getDatabaseBuilder().setName(or(stack.getDatabase().getName(), name.replace('-', '_')));
      stack
          .getDatabaseBuilder()
          .getDumpsBuilder()
          .setKeep(or(stack.getDatabase().getDumps().getKeep(), KEEP))
          .setTimeoutSeconds(
              or(stack.getDatabase().getDumps().getTimeoutSeconds(), DUMP_TIMEOUT_SECONDS));
    }
    if (stack.hasRedis()) {
      stack
          .getRedisBuilder()
          .setCacheDb(or(stack.getRedis().getCacheDb(), CACHE_DB))
          .setBrokerDb(or(stack.getRedis().getBrokerDb(), BROKER_DB));
    }
    stack
        .getSettingsBuilder()
        .setUse(or(stack.getSettings().getUse(), "egg:" + manifest.getApplication()));
    for (StackCommand.Builder command : stack.getCommandsBuilderList()) {
      command.setTimeoutSeconds(or(command.getTimeoutSeconds(), COMMAND_TIMEOUT_SECONDS));
    }
    if (stack.hasMail()) {
      mail(stack.getMailBuilder());
    }
    StackHealth.Builder health = stack.getHealthBuilder();
    health
        .setPath(or(health.getPath(), HEALTH_PATH))
        .setExpectStatus(or(health.getExpectStatus(), EXPECT_STATUS))
        .setDeadlineSeconds(or(health.getDeadlineSeconds(), DEADLINE_SECONDS));
    return stack.build();
  }

  private static void web(StackWeb.Builder web) {
    web.setThreads(or(web.getThreads(), THREADS))
        .setHarakiri(or(web.getHarakiri(), HARAKIRI_SECONDS))
        .setMaxRequests(or(web.getMaxRequests(), MAX_REQUESTS))
        .setListen(or(web.getListen(), LISTEN))
        .setBufferSize(or(web.getBufferSize(), BUFFER_SIZE))
        .setDrainSeconds(or(web.getDrainSeconds(), DRAIN_SECONDS));
    if (web.getHandoverMode() == HandoverMode.HANDOVER_MODE_UNSPECIFIED) {
      web.setHandoverMode(HandoverMode.HANDOVER_MODE_PER_RELEASE);
    }
  }

  private static void mail(StackMail.Builder mail) {
    mail.setPort(or(mail.getPort(), StackMailRelay.SUBMISSION_PORT))
        .setDiskAlertPercent(or(mail.getDiskAlertPercent(), StackDiskAlert.PERCENT))
        .setUpgradeReport(or(mail.getUpgradeReport(), UPGRADE_REPORT));
    if (mail.getFrom().isEmpty() && mail.getUsername().contains("@")) {
      mail.setFrom(mail.getUsername());
    }
  }

  private static void site(StackSite.Builder site, String name) {
    site.setHttpPort(or(site.getHttpPort(), HTTP_PORT))
        .setStaticUrl(or(site.getStaticUrl(), STATIC_URL))
        .setClientMaxBodySize(or(site.getClientMaxBodySize(), CLIENT_MAX_BODY_SIZE))
        .setWebsocketPath(or(site.getWebsocketPath(), WEBSOCKET_PATH));
    if (site.getWebsocket()) {
      site.setWebsocketDrainSeconds(or(site.getWebsocketDrainSeconds(), WEBSOCKET_DRAIN_SECONDS));
    }
    if (site.hasCache()) {
      StackCache.Builder cache = site.getCacheBuilder();
      cache
          .setMaxSize(or(cache.getMaxSize(), CACHE_MAX_SIZE))
          .setValidSeconds(or(cache.getValidSeconds(), CACHE_VALID_SECONDS));
      if (cache.getPathsCount() == 0) {
        cache.addAllPaths(CACHE_PATHS);
      }
      if (cache.getBypassCookiesCount() == 0) {
        cache.addAllBypassCookies(CACHE_BYPASS_COOKIES);
      }
      if (cache.getStatusesCount() == 0) {
        cache.addAllStatuses(CACHE_STATUSES);
      }
    }
    if (site.hasTls()) {
      // -1 (no header) is a value of its own; only 0 stands for the default.
      site.getTlsBuilder()
          .setPort(or(site.getTls().getPort(), HTTPS_PORT))
          .setHstsMaxAge(or(site.getTls().getHstsMaxAge(), HSTS_MAX_AGE_SECONDS));
      if (site.getTls().hasAcme()) {
        String live = StackAcmeCertificate.live(name);
        site.getTlsBuilder()
            .setCertificate(live + "/fullchain.pem")
            .setKey(live + "/privkey.pem")
            .getAcmeBuilder()
            .setDirectory(
                or(site.getTls().getAcme().getDirectory(), StackAcmeCertificate.LETS_ENCRYPT));
      }
    }
  }

  private static int or(int value, int fallback) {
    return value == 0 ? fallback : value;
  }

  private static String or(String value, String fallback) {
    return value.isEmpty() ? fallback : value;
  }
}
