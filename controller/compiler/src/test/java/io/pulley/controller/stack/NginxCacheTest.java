package io.pulley.controller.stack;

import static io.pulley.controller.stack.SampleStacks.full;
import static io.pulley.controller.stack.SampleStacks.manifest;
import static io.pulley.controller.stack.SampleStacks.minimal;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import io.pulley.v1.StackCache;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The site's response cache as nginx reads it, and what empties it at a release switch. */
class NginxCacheTest {

  private static List<Resource> render(Stack.Builder stack) {
    return StackRenderer.render(manifest(stack));
  }

  private static Resource byId(Stack.Builder stack, String id) {
    return render(stack).stream().filter(r -> r.getId().equals(id)).findFirst().orElseThrow();
  }

  private static String site(Stack.Builder stack) {
    return byId(stack, "file:nginx-site").getFile().getContent();
  }

  private static Stack.Builder cached(Stack.Builder stack, StackCache.Builder cache) {
    stack.getSiteBuilder().setCache(cache);
    return stack;
  }

  @Test
  void defaults_cacheEveryPageForAMinute_withAZoneInTheStacksRoot() {
    String site = site(cached(full(), StackCache.newBuilder()));

    assertThat(site)
        .contains(
            "uwsgi_cache_path /srv/pulley-sample/nginx-cache levels=1:2"
                + " keys_zone=pulley_sample_cache:10m max_size=1g inactive=10m"
                + " use_temp_path=off;\n")
        .contains(
            """
            map $http_cookie $pulley_sample_cache_cookie {
                default 0;
                "~(^|;)\\s*(session|sessionid|auth_tkt|remember_token)=" 1;
            }
            """)
        .contains("    add_header X-Cache-Status $upstream_cache_status always;\n")
        .contains(" cache=$upstream_cache_status';\n")
        .contains(
            """
                location / {
                    uwsgi_pass unix:/run/pulley-sample/uwsgi.sock;
                    include uwsgi_params;
                    uwsgi_cache pulley_sample_cache;
                    uwsgi_cache_key "$scheme://$host$request_uri";
                    uwsgi_cache_methods GET HEAD;
                    uwsgi_cache_valid 200 301 302 60s;
                    uwsgi_cache_bypass $pulley_sample_cache_cookie $http_authorization;
                    uwsgi_no_cache $pulley_sample_cache_cookie $http_authorization;
                    uwsgi_cache_lock on;
                }
            """);
    // nginx's default stays: a response that sets a cookie is never stored.
    assertThat(site).doesNotContain("uwsgi_ignore_headers");
  }

  @Test
  void healthCheck_hasALocationOfItsOwn_thatIsNeverCached() {
    String site = site(cached(minimal(), StackCache.newBuilder()));

    assertThat(site)
        .contains(
            """
                location = /health {
                    uwsgi_pass unix:/run/pulley-sample/uwsgi.sock;
                    include uwsgi_params;
                }
            """);
  }

  @Test
  void aHealthCheckWithAQuery_hasTheLocationOfItsPath() {
    var stack = cached(minimal(), StackCache.newBuilder());
    stack.getHealthBuilder().setPath("/health?deep=1");

    assertThat(site(stack)).contains("    location = /health {\n");
  }

  @Test
  void givenPathsStatusesAndCookies_onlyThosePrefixesAreCached() {
    String site =
        site(
            cached(
                full(),
                StackCache.newBuilder()
                    .addPaths("/blog/")
                    .addPaths("/docs/")
                    .setValidSeconds(300)
                    .setMaxSize("200m")
                    .addStatuses(200)
                    .addStatuses(404)
                    .addBypassCookies("my.session")
                    .addBypassCookies("logged-in")));

    assertThat(site)
        .contains(" max_size=200m ")
        .contains("\"~(^|;)\\s*(my\\.session|logged-in)=\" 1;")
        .contains(
            """
                location /blog/ {
                    uwsgi_pass unix:/run/pulley-sample/uwsgi.sock;
                    include uwsgi_params;
                    uwsgi_cache pulley_sample_cache;
            """)
        .contains("    location /docs/ {\n")
        .contains("        uwsgi_cache_valid 200 404 300s;\n")
        .contains(
            """
                location / {
                    uwsgi_pass unix:/run/pulley-sample/uwsgi.sock;
                    include uwsgi_params;
                }
            """);
  }

  @Test
  void behindThePassword_eachUserHasTheirOwnEntries_andAuthorizationIsNoBypass() {
    var stack = cached(minimal(), StackCache.newBuilder());
    stack.getSiteBuilder().addHtpasswd("admin:$2y$05$abc");
    String site = site(stack);

    assertThat(site)
        .contains("        uwsgi_cache_key \"$scheme://$host$request_uri $remote_user\";\n")
        .contains("        uwsgi_cache_bypass $pulley_sample_cache_cookie;\n")
        .contains(
            """
                location = /health {
                    auth_basic off;
                    uwsgi_pass unix:/run/pulley-sample/uwsgi.sock;
            """);
  }

  @Test
  void webSockets_stayInTheirOwnLocation_withoutTheCache() {
    var stack = cached(minimal(), StackCache.newBuilder());
    stack.getSiteBuilder().setWebsocket(true);
    String site = site(stack);
    String websocket = site.substring(site.indexOf("location /ws/"), site.indexOf("location / {"));

    assertThat(websocket).contains("proxy_pass").doesNotContain("cache");
  }

  @Test
  void withoutACache_theSiteIsAsBefore_andNothingIsEmptied() {
    String site = site(full());

    assertThat(site).doesNotContain("cache").doesNotContain("location = /health");
    assertThat(byId(full(), "handover").getHandover().getCacheDir()).isEmpty();
    assertThat(render(full())).noneMatch(r -> r.getId().endsWith("nginx-cache"));
  }

  @Test
  void theCacheDirectory_isNginxs_andTheHandoverEmptiesIt() {
    var stack = cached(full(), StackCache.newBuilder());

    assertThat(byId(stack, "directory:/srv/pulley-sample/nginx-cache").getDirectory())
        .satisfies(
            d -> {
              assertThat(d.getOwner()).isEqualTo("www-data");
              assertThat(d.getGroup()).isEqualTo("www-data");
              assertThat(d.getMode()).isEqualTo("0700");
            });
    assertThat(byId(stack, "handover").getHandover().getCacheDir())
        .isEqualTo("/srv/pulley-sample/nginx-cache");
  }
}
