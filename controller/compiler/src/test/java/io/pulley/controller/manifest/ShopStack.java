package io.pulley.controller.manifest;

/**
 * The smallest stack manifest (application shop, production), compiled with a site and more stack
 * sections of the test's: for the tests of one section's fields.
 */
final class ShopStack {
  private static final ManifestCompiler COMPILER = new ManifestCompiler(new FixedRefResolver());

  private ShopStack() {}

  /** Compiles shop's stack with {@code site} (a flow mapping) and {@code more} stack lines. */
  static CompileResult compile(String site, String more) {
    return COMPILER.compile(
        """
        application: shop
        environment: production
        stack:
          git: {url: "https://git.example.com/shop.git", ref: main}
          web: {wsgi: shop.wsgi}
          site: %s
        %s"""
            .formatted(site, more.indent(2)),
        "shop.yaml");
  }
}
