package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.testing.TestRepository;
import io.pulley.v1.Command;
import io.pulley.v1.Directory;
import io.pulley.v1.File;
import io.pulley.v1.GitRelease;
import io.pulley.v1.Manifest;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Good manifests compile to an explicit, resolved manifest; refs resolve in real repositories. */
class ManifestCompilerTest {

  @TempDir Path tmp;

  private final ManifestCompiler compiler =
      new ManifestCompiler(new JGitRefResolver(Duration.ofSeconds(10)));

  private static String allKinds(String url, String ref) {
    return """
        application: hello
        environment: demo
        hosts:
          labels: {role: web, dc: fra1}
          host_ids: [web-1]
        resources:
          - directory:
              path: /srv/hello
              owner: www-data
              mode: 0755
          - id: greeting
            file:
              path: /srv/hello/greeting.txt
              content: |
                Hello!
              mode: 644
          - git_release:
              root: /srv/hello/app
              url: %s
              ref: %s
          - command:
              argv: [/usr/bin/touch, /srv/hello/.installed]
              creates: /srv/hello/.installed
              env: {LANG: C.UTF-8}
              unless: [/usr/bin/test, -e, /srv/hello/.skip]
        """
        .formatted(url, ref);
  }

  @Test
  void compile_allFourKinds_fillsDefaultsAndPinsTheCommit() throws Exception {
    RevCommit head;
    try (TestRepository repo = TestRepository.create(tmp.resolve("hello"))) {
      head = repo.commit("app.py", "print('hi')\n");
      CompileResult result = compiler.compile(allKinds(repo.url(), "main"), "hello.yaml");

      assertThat(result.errors()).isEmpty();
      assertThat(result.ok()).isTrue();
      Manifest manifest = result.manifest().orElseThrow();
      assertThat(manifest.getHosts().getLabelsMap()).containsEntry("role", "web");
      assertThat(manifest.getHosts().getHostIdsList()).containsExactly("web-1");
      assertThat(manifest.getResourcesList())
          .containsExactly(
              Resource.newBuilder()
                  .setId("directory:/srv/hello")
                  .setDirectory(
                      Directory.newBuilder()
                          .setPath("/srv/hello")
                          .setOwner("www-data")
                          .setMode("0755"))
                  .build(),
              Resource.newBuilder()
                  .setId("greeting")
                  .setFile(
                      File.newBuilder()
                          .setPath("/srv/hello/greeting.txt")
                          .setContent("Hello!\n")
                          .setMode("644"))
                  .build(),
              Resource.newBuilder()
                  .setId("git_release:/srv/hello/app")
                  .setGitRelease(
                      GitRelease.newBuilder()
                          .setRoot("/srv/hello/app")
                          .setUrl(repo.url())
                          .setRef("main")
                          .setCommit(head.name())
                          .setKeep(5))
                  .build(),
              Resource.newBuilder()
                  .setId("command:/usr/bin/touch")
                  .setCommand(
                      Command.newBuilder()
                          .addArgv("/usr/bin/touch")
                          .addArgv("/srv/hello/.installed")
                          .setWorkingDir("/")
                          .putEnv("LANG", "C.UTF-8")
                          .setTimeoutSeconds(300)
                          .setCreates("/srv/hello/.installed")
                          .addUnless("/usr/bin/test")
                          .addUnless("-e")
                          .addUnless("/srv/hello/.skip"))
                  .build());
    }
  }

  @Test
  void compile_unquotedOctalMode_keepsTheTextAsWritten() {
    CompileResult result =
        new ManifestCompiler(new FixedRefResolver())
            .compile(
                "application: a\nenvironment: b\nresources:\n  - directory: {path: /x, mode: 0755}\n",
                "m.yaml");

    assertThat(result.manifest().orElseThrow().getResources(0).getDirectory().getMode())
        .isEqualTo("0755");
  }

  @Test
  void compile_annotatedAndLightweightTags_resolveToTheTaggedCommit() throws Exception {
    try (TestRepository repo = TestRepository.create(tmp.resolve("hello"))) {
      RevCommit tagged = repo.commit("app.py", "v1\n");
      repo.annotatedTag("v1.0.0");
      repo.lightweightTag("light");
      repo.commit("app.py", "v2\n");

      assertThat(commitOf(compiler.compile(allKinds(repo.url(), "v1.0.0"), "a.yaml")))
          .isEqualTo(tagged.name());
      assertThat(commitOf(compiler.compile(allKinds(repo.url(), "light"), "a.yaml")))
          .isEqualTo(tagged.name());
    }
  }

  @Test
  void compile_branch_resolvesToItsTip() throws Exception {
    try (TestRepository repo = TestRepository.create(tmp.resolve("hello"))) {
      repo.branch("staging");
      repo.checkout("staging");
      RevCommit tip = repo.commit("app.py", "staging\n");
      repo.checkout("main");
      repo.commit("app.py", "main\n");

      assertThat(commitOf(compiler.compile(allKinds(repo.url(), "staging"), "a.yaml")))
          .isEqualTo(tip.name());
    }
  }

  @Test
  void compile_missingRef_isReportedAtTheRefLine() throws Exception {
    try (TestRepository repo = TestRepository.create(tmp.resolve("hello"))) {
      CompileResult result = compiler.compile(allKinds(repo.url(), "v9"), "a.yaml");

      assertThat(result.ok()).isFalse();
      ManifestError error = result.errors().get(0);
      assertThat(result.errors()).hasSize(1);
      assertThat(error.getField()).isEqualTo("resources[2].git_release.ref");
      assertThat(error.getLine()).isEqualTo(20);
      assertThat(error.getReason()).contains("ref \"v9\" not found in " + repo.url());
    }
  }

  @Test
  void compile_unreachableRemote_reportsAtItsUrl() {
    String url = tmp.resolve("absent.git").toUri().toString();

    CompileResult result = compiler.compile(allKinds(url, "main"), "a.yaml");

    assertThat(result.errors())
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.getField()).isEqualTo("resources[2].git_release.url");
              assertThat(error.getLine()).isEqualTo(19);
              assertThat(error.getReason()).startsWith("cannot read refs from");
            });
  }

  @Test
  void compile_urlWithAPassword_isRefusedBeforeAskingAndWithoutRepeatingIt() {
    String url = "file://alice:s3cret@" + tmp.resolve("absent.git");

    CompileResult result = compiler.compile(allKinds(url, "main"), "a.yaml");

    assertThat(result.errors())
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.getField()).isEqualTo("resources[2].git_release.url");
              assertThat(error.getReason()).contains("password").doesNotContain("s3cret");
            });
  }

  @Test
  void compile_sameRemoteAndRefTwice_asksOnce() {
    FixedRefResolver resolver = new FixedRefResolver();
    String release = "  - git_release: {root: /srv/%s, url: \"file:///r.git\", ref: main}\n";

    CompileResult result =
        new ManifestCompiler(resolver)
            .compile(
                "application: a\nenvironment: b\nresources:\n"
                    + release.formatted("one")
                    + release.formatted("two"),
                "a.yaml");

    assertThat(result.ok()).isTrue();
    assertThat(resolver.asked).containsExactly("file:///r.git main");
  }

  private static String commitOf(CompileResult result) {
    assertThat(result.errors()).isEmpty();
    return result.manifest().orElseThrow().getResources(2).getGitRelease().getCommit();
  }
}
