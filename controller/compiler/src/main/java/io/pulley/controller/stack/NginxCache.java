package io.pulley.controller.stack;

import io.pulley.v1.Stack;
import io.pulley.v1.StackCache;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The site's response cache in nginx's words: a cache zone and the cookie test at the http level,
 * and the lines of each location whose responses are cached. Stateless; reads the stack with its
 * defaults filled in ({@link StackDefaults}), every value validated.
 *
 * <p>nginx already refuses to store a response that sets a cookie or says {@code Cache-Control:
 * private}/{@code no-store}, and caches GET and HEAD only; what it does not know is which requests
 * are a logged-in user's. A request with one of the bypass cookies, or (without the site's
 * password) with an Authorization header, is neither answered from the cache nor stored.
 */
final class NginxCache {
  /** Room for about 80,000 keys: the zone holds keys and their state, the responses are on disk. */
  private static final String KEYS_ZONE_SIZE = "10m";

  private NginxCache() {}

  /** The cache zone and the bypass variable, at the http level of the site file. */
  static String httpLevel(StackLayout layout, Stack stack) {
    StackCache cache = stack.getSite().getCache();
    String prefix = layout.nginxPrefix();
    // Temporary files beside the cache (use_temp_path=off): the rename into it stays within one
    // file system, and emptying the directory takes unfinished ones too.
    return """

        uwsgi_cache_path %1$s levels=1:2 keys_zone=%2$s_cache:%3$s max_size=%4$s inactive=10m use_temp_path=off;

        map $http_cookie $%2$s_cache_cookie {
            default 0;
            "~(^|;)\\s*(%5$s)=" 1;
        }
        """
        .formatted(layout.nginxCache(), prefix, KEYS_ZONE_SIZE, cache.getMaxSize(), cookies(cache));
  }

  /** The server-level header that tells whether a response came from the cache. */
  static String statusHeader() {
    return "    add_header X-Cache-Status $upstream_cache_status always;\n";
  }

  /** The lines that cache a location's responses from uWSGI. */
  static String location(StackLayout layout, Stack stack) {
    StackCache cache = stack.getSite().getCache();
    String prefix = layout.nginxPrefix();
    boolean password = stack.getSite().getHtpasswdCount() > 0;
    // Behind the site's password every request carries the gate's Authorization: each user then
    // has entries of their own, as an application may answer per $remote_user.
    String key =
        password ? "$scheme://$host$request_uri $remote_user" : "$scheme://$host$request_uri";
    String skip =
        password
            ? "$" + prefix + "_cache_cookie"
            : "$" + prefix + "_cache_cookie $http_authorization";
    return """
                uwsgi_cache %1$s_cache;
                uwsgi_cache_key "%2$s";
                uwsgi_cache_methods GET HEAD;
                uwsgi_cache_valid %3$s %4$ds;
                uwsgi_cache_bypass %5$s;
                uwsgi_no_cache %5$s;
                uwsgi_cache_lock on;
        """
        .formatted(prefix, key, statuses(cache.getStatusesList()), cache.getValidSeconds(), skip);
  }

  /** The cookie names as alternatives of a regular expression; '.' is the only special one. */
  private static String cookies(StackCache cache) {
    return cache.getBypassCookiesList().stream()
        .map(name -> name.replace(".", "\\."))
        .collect(Collectors.joining("|"));
  }

  private static String statuses(List<Integer> statuses) {
    return statuses.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }
}
