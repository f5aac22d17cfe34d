package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.ManifestError;
import io.pulley.v1.Package;
import io.pulley.v1.Resource;
import org.junit.jupiter.api.Test;

/** Packages an application needs with their Recommends, such as python3-django's jQuery. */
class StackRecommendsTest {
  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  private static String stack(String packagesWithRecommends) {
    return """
        application: app
        environment: staging
        stack:
          git: {url: "https://git.example.com/a.git", ref: main}
          web: {wsgi: mysite.wsgi}
          site: {domains: [a.example.com]}
          packages: [python3-psycopg2]
          packages_with_recommends: %s
        """
        .formatted(packagesWithRecommends);
  }

  @Test
  void theyAreInstalledApart_withRecommends_andTheOtherPackagesWithout() {
    CompileResult result = compiler.compile(stack("[python3-django]"), "app.yaml");

    Package withRecommends =
        result.manifest().orElseThrow().getResourcesList().stream()
            .filter(r -> r.getId().equals("package:stack-recommends"))
            .map(Resource::getPackage)
            .findFirst()
            .orElseThrow();
    assertThat(withRecommends.getNamesList()).containsExactly("python3-django");
    assertThat(withRecommends.getInstallRecommends()).isTrue();
    assertThat(
            result.manifest().orElseThrow().getResourcesList().stream()
                .filter(r -> r.getId().equals("package:stack"))
                .map(r -> r.getPackage().getInstallRecommends()))
        .containsExactly(false);
  }

  @Test
  void aBadName_isRefusedWithItsField() {
    CompileResult result = compiler.compile(stack("[\"python3 django\"]"), "app.yaml");

    assertThat(result.errors())
        .extracting(ManifestError::getField)
        .containsExactly("stack.packages_with_recommends[0]");
  }
}
