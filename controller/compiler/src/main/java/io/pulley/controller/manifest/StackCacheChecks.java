package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.re2j.Pattern;
import io.pulley.controller.stack.StackDefaults;
import io.pulley.v1.StackCache;
import io.pulley.v1.StackSite;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks {@code stack.site.cache}, nginx's response cache. Its values are written unquoted into
 * nginx's configuration (sizes, locations) or into a regular expression (cookie names), so each is
 * held to characters that mean nothing there. Not thread-safe: one per compilation.
 */
final class StackCacheChecks {
  /** A size nginx reads (max_size): a positive number with an optional k, m or g suffix. */
  private static final Pattern SIZE = Pattern.compile("[1-9][0-9]{0,8}[kKmMgG]?");

  /** A cookie name without a character a regular expression or nginx would read otherwise. */
  private static final Pattern COOKIE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

  /** A week: a longer life only keeps what a release switch empties anyway. */
  private static final int MAX_VALID_SECONDS = 604_800;

  private final Checks checks;
  private final ConfigText text;

  StackCacheChecks(Checks checks) {
    this.checks = checks;
    this.text = new ConfigText(checks);
  }

  /**
   * Checks the cache of {@code site} as written; {@code filled} is the site with its defaults,
   * whose static and WebSocket locations a cached path must stay out of.
   */
  void validate(StackSite site, StackSite filled, boolean servesStatic) {
    StackCache cache = site.getCache();
    if (!cache.getMaxSize().isEmpty()) {
      text.matches(
          "stack.site.cache.max_size",
          "max_size",
          cache.getMaxSize(),
          SIZE,
          "use a number with an optional k, m or g suffix, such as \"1g\"");
    }
    text.range(
        "stack.site.cache.valid_seconds",
        cache.getValidSeconds(),
        1,
        MAX_VALID_SECONDS,
        StackDefaults.CACHE_VALID_SECONDS);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < cache.getPathsCount(); i++) {
      String field = "stack.site.cache.paths[" + i + "]";
      String path = cache.getPaths(i);
      if (!text.matches(
          field,
          "path",
          path,
          StackSiteChecks.URL_PREFIX,
          "use a URL prefix that starts and ends with \"/\", such as \"/blog/\" (\"/\" for every"
              + " page)")) {
        continue;
      }
      if (!seen.add(path)) {
        checks.fail(field, "path " + quote(path) + " is listed twice");
      } else if (servesStatic && path.startsWith(filled.getStaticUrl())) {
        checks.fail(
            field,
            "path "
                + quote(path)
                + " is inside static_url "
                + quote(filled.getStaticUrl())
                + ", whose files nginx serves itself; leave it out");
      } else if (filled.getWebsocket() && path.startsWith(filled.getWebsocketPath())) {
        checks.fail(
            field,
            "path "
                + quote(path)
                + " is inside websocket_path "
                + quote(filled.getWebsocketPath())
                + ", whose connections are never cached; leave it out");
      }
    }
    for (int i = 0; i < cache.getBypassCookiesCount(); i++) {
      text.matches(
          "stack.site.cache.bypass_cookies[" + i + "]",
          "cookie",
          cache.getBypassCookies(i),
          COOKIE,
          "use a cookie name of letters, digits, \"_\", \".\" and \"-\", such as \"sessionid\"");
    }
    Set<Integer> statuses = new HashSet<>();
    for (int i = 0; i < cache.getStatusesCount(); i++) {
      int status = cache.getStatuses(i);
      String field = "stack.site.cache.statuses[" + i + "]";
      if (status < 200 || status > 599) {
        checks.fail(field, "status " + status + " is not a final response's; use 200 to 599");
      } else if (!statuses.add(status)) {
        checks.fail(field, "status " + status + " is listed twice");
      }
    }
  }
}
