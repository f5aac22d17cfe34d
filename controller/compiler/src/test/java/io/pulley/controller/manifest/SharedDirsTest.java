package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Directory;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Directories the application writes, kept in ROOT/shared and linked into every release. */
class SharedDirsTest {
  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  private static String withSharedDirs(String dirs) {
    return """
        application: app
        environment: staging
        stack:
          git: {url: "https://git.example.com/a.git", ref: main}
          web: {wsgi: "flaskr:create_app()"}
          site: {domains: [a.example.com]}
          shared_dirs: %s
        """
        .formatted(dirs);
  }

  private List<Resource> resources(String dirs) {
    CompileResult result = compiler.compile(withSharedDirs(dirs), "app.yaml");
    assertThat(result.errors()).isEmpty();
    return result.manifest().orElseThrow().getResourcesList();
  }

  @Test
  void eachSharedDir_isOwnedByTheAppsUser_andLinkedIntoTheRelease() {
    List<Resource> resources = resources("[instance, media/uploads]");

    assertThat(
            resources.stream()
                .filter(Resource::hasDirectory)
                .map(Resource::getDirectory)
                .filter(d -> d.getPath().startsWith("/srv/app/shared/"))
                .filter(d -> d.getOwner().equals("app"))
                .map(Directory::getPath))
        .contains("/srv/app/shared/instance", "/srv/app/shared/media/uploads");
    Resource checkout =
        resources.stream().filter(r -> r.getId().equals("release:checkout")).findFirst().get();
    assertThat(checkout.getGitRelease().getLinksMap())
        .isEqualTo(
            Map.of(
                "instance", "/srv/app/shared/instance",
                "media/uploads", "/srv/app/shared/media/uploads"));
    int directoryAt = resources.indexOf(byId(resources, "directory:/srv/app/shared/instance"));
    assertThat(directoryAt).isLessThan(resources.indexOf(checkout));
  }

  @Test
  void withoutSharedDirs_theCheckoutHasNoLinks() {
    CompileResult result =
        compiler.compile(withSharedDirs("[]").replace("  shared_dirs: []\n", ""), "app.yaml");

    assertThat(
            byId(result.manifest().orElseThrow().getResourcesList(), "release:checkout")
                .getGitRelease()
                .getLinksMap())
        .isEmpty();
  }

  @Test
  void pathsLeavingTheReleaseOrNamesPulleyUses_areRefused() {
    CompileResult result =
        compiler.compile(
            withSharedDirs("[../up, /abs, config, venv/x, media, media, \"a//b\"]"), "app.yaml");

    assertThat(result.errors())
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.shared_dirs[0]",
            "stack.shared_dirs[1]",
            "stack.shared_dirs[2]",
            "stack.shared_dirs[3]",
            "stack.shared_dirs[5]",
            "stack.shared_dirs[6]");
  }

  private static Resource byId(List<Resource> resources, String id) {
    return resources.stream().filter(r -> r.getId().equals(id)).findFirst().orElseThrow();
  }
}
