package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pulley.v1.ManifestError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Input built to hurt the compiler is refused with a field and a reason, in time linear in its
 * length. The timeouts only guard against hangs: each input would take minutes on a quadratic
 * matcher (a 40,000-character URL took 12 s) or overflow the stack on a recursive one.
 */
class HostileInputTest {
  private static final Duration GENEROUS = Duration.ofSeconds(20);

  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  private List<ManifestError> errorsOf(String yaml) {
    CompileResult result =
        assertTimeoutPreemptively(GENEROUS, () -> compiler.compile(yaml, "hostile.yaml"));
    assertThat(result.ok()).isFalse();
    return result.errors();
  }

  @Test
  void deeplyNestedSequences_areRefusedNotOverflowed() {
    String yaml = "application: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";

    assertThat(errorsOf(yaml))
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("nest deeper than"));
  }

  @Test
  void deeplyNestedMappings_areRefusedNotOverflowed() {
    String yaml = "application: x\nresources: " + "{a: ".repeat(10_000) + "}".repeat(10_000);

    assertThat(errorsOf(yaml))
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("nest deeper than"));
  }

  @Test
  void nestingWithinTheLimit_isReadAsUsual() {
    String yaml =
        "application: x\nenvironment: y\nlabels: "
            + "[".repeat(YamlManifestReader.MAX_DEPTH - 1)
            + "]".repeat(YamlManifestReader.MAX_DEPTH - 1);

    assertThat(errorsOf(yaml))
        .noneSatisfy(e -> assertThat(e.getReason()).contains("nest deeper than"));
  }

  @Test
  void aManifestOverTheSizeLimit_isRefusedWithItsSize() {
    String yaml = "application: x\nenvironment: y\n#" + "x".repeat(YamlManifestReader.MAX_BYTES);

    assertThat(errorsOf(yaml))
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("bytes; at most"));
  }

  @Test
  void aLongGitUrl_isRefusedWithTheFieldAndTheLimit() {
    String url = "https://" + "a:".repeat(20_000) + "@example.com/x.git";
    String yaml =
        """
        application: x
        environment: y
        stack:
          git: {url: "%s", ref: main}
          web: {wsgi: app.wsgi}
        """
            .formatted(url);

    assertThat(errorsOf(yaml))
        .anySatisfy(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.git.url");
              assertThat(e.getReason()).contains("the limit is " + RemoteUrl.MAX_LENGTH);
            });
  }

  @Test
  void redact_ofLongAdversarialText_isLinear() {
    String[] inputs = {
      "https://" + "a:".repeat(100_000),
      "a:" + "b".repeat(100_000),
      "x://" + "/".repeat(100_000) + "a",
      ("a:b@" + " ").repeat(25_000),
      "git://" + "a".repeat(100_000) + " "
    };

    for (String input : inputs) {
      String redacted = assertTimeoutPreemptively(GENEROUS, () -> RemoteUrl.redact(input));
      assertThat(redacted).doesNotContain("a:b@");
    }
  }

  @Test
  void branchNames_areCheckedLikeGitDoes_andLinearly() {
    assertThat(DeliveryValidator.isBranchName("main")).isTrue();
    assertThat(DeliveryValidator.isBranchName("release/1.2")).isTrue();
    assertThat(DeliveryValidator.isBranchName("-main")).isFalse();
    assertThat(DeliveryValidator.isBranchName("/main")).isFalse();
    assertThat(DeliveryValidator.isBranchName("main/")).isFalse();
    assertThat(DeliveryValidator.isBranchName("a..b")).isFalse();
    assertThat(DeliveryValidator.isBranchName("a//b")).isFalse();
    assertThat(DeliveryValidator.isBranchName("main.lock")).isFalse();
    assertThat(DeliveryValidator.isBranchName("a b")).isFalse();

    String longName = "a.".repeat(100_000) + "/";
    assertThat(assertTimeoutPreemptively(GENEROUS, () -> DeliveryValidator.isBranchName(longName)))
        .isFalse();
  }

  @Test
  void relativePaths_refuseDotSegments_andMatchLinearly() {
    assertThat(StackValidator.RELATIVE_PATH.matcher("app/static").matches()).isTrue();
    assertThat(StackValidator.RELATIVE_PATH.matcher("app/.well-known").matches()).isTrue();
    assertThat(StackValidator.RELATIVE_PATH.matcher("app/..x").matches()).isTrue();
    assertThat(StackValidator.RELATIVE_PATH.matcher("./app").matches()).isFalse();
    assertThat(StackValidator.RELATIVE_PATH.matcher("app/./x").matches()).isFalse();
    assertThat(StackValidator.RELATIVE_PATH.matcher("app/..").matches()).isFalse();
    assertThat(StackValidator.RELATIVE_PATH.matcher("../etc").matches()).isFalse();

    String longPath = "a/".repeat(50_000) + "..";
    assertThat(
            assertTimeoutPreemptively(
                GENEROUS, () -> StackValidator.RELATIVE_PATH.matcher(longPath).matches()))
        .isFalse();
  }
}
