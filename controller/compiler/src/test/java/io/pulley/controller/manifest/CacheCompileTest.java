package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import org.junit.jupiter.api.Test;

/** stack.site.cache: what a manifest may write, and the field and reason when it may not. */
class CacheCompileTest {

  private CompileResult compile(String site) {
    return ShopStack.compile(site, "");
  }

  @Test
  void anEmptyCache_isTheDefaults() {
    CompileResult result = compile("{domains: [shop.example.com], cache: {}}");

    assertThat(result.errors()).isEmpty();
    assertThat(result.manifest().orElseThrow().getResourcesList())
        .filteredOn(r -> r.getId().equals("file:nginx-site"))
        .singleElement()
        .extracting(r -> r.getFile().getContent())
        .asString()
        .contains("keys_zone=shop_cache:10m max_size=1g", "uwsgi_cache_valid 200 301 302 60s;");
    assertThat(result.manifest().orElseThrow().getResourcesList())
        .filteredOn(Resource::hasHandover)
        .singleElement()
        .extracting(r -> r.getHandover().getCacheDir())
        .isEqualTo("/srv/shop/nginx-cache");
  }

  @Test
  void everyField_isWrittenAsGiven() {
    CompileResult result =
        compile(
            "{domains: [shop.example.com], cache: {max_size: 512m, valid_seconds: 600,"
                + " paths: [/products/], bypass_cookies: [shop_session], statuses: [200, 404]}}");

    assertThat(result.errors()).isEmpty();
    assertThat(result.manifest().orElseThrow().getResourcesList())
        .filteredOn(r -> r.getId().equals("file:nginx-site"))
        .singleElement()
        .extracting(r -> r.getFile().getContent())
        .asString()
        .contains(
            "max_size=512m",
            "uwsgi_cache_valid 200 404 600s;",
            "(shop_session)=",
            "location /products/ {");
  }

  @Test
  void badValues_nameEachField() {
    CompileResult result =
        compile(
            "{domains: [shop.example.com], cache: {max_size: \"1g; evil\", valid_seconds: -1,"
                + " paths: [\"/a b/\", blog, /x/, /x/], bypass_cookies: [\"s|x\", \"a;b\"],"
                + " statuses: [99, 200, 200]}}");

    assertThat(result.errors())
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.site.cache.max_size",
            "stack.site.cache.valid_seconds",
            "stack.site.cache.paths[0]",
            "stack.site.cache.paths[1]",
            "stack.site.cache.paths[3]",
            "stack.site.cache.bypass_cookies[0]",
            "stack.site.cache.bypass_cookies[1]",
            "stack.site.cache.statuses[0]",
            "stack.site.cache.statuses[2]");
    assertThat(result.manifest()).isEmpty();
  }

  @Test
  void aPathInsideTheStaticFilesOrTheWebSockets_isRefused() {
    CompileResult result =
        compile(
            "{domains: [shop.example.com], static_dir: shop/static, websocket: true,"
                + " cache: {paths: [/, /static/img/, /ws/]}}");

    assertThat(result.errors())
        .extracting(ManifestError::getField, ManifestError::getReason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "stack.site.cache.paths[1]",
                "path \"/static/img/\" is inside static_url \"/static/\", whose files nginx serves"
                    + " itself; leave it out"),
            org.assertj.core.groups.Tuple.tuple(
                "stack.site.cache.paths[2]",
                "path \"/ws/\" is inside websocket_path \"/ws/\", whose connections are never"
                    + " cached; leave it out"));
  }
}
