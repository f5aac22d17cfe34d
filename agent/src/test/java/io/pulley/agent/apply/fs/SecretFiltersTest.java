package io.pulley.agent.apply.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.v1.lite.File;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Placeholders that name filters: {@code ${secret:NAME|url|env}}. */
class SecretFiltersTest {
  @TempDir Path root;
  @TempDir Path stateDir;

  private Convergence write(String content, Map<String, String> secrets) throws Exception {
    return new FileExecutor(new PathGuard(List.of(root)))
        .converge(
            File.newBuilder()
                .setPath(root.resolve("out").toString())
                .setContent(content)
                .setSensitive(true)
                .build(),
            Contexts.withSecrets(stateDir, secrets));
  }

  @Test
  void filters_applyLeftToRight() throws Exception {
    Convergence c =
        write(
            "raw=${secret:s}\nurl=${secret:s|url}\nenv=\"${secret:s|env}\"\nboth=\"${secret:s|url|env}\"\n",
            Map.of("s", "a\"b\\c d/é${x}"));

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(root.resolve("out"))
        .hasContent(
            "raw=a\"b\\c d/é${x}\n"
                + "url=a%22b%5Cc%20d%2F%C3%A9%24%7Bx%7D\n"
                + "env=\"a\\\"b\\\\c d/é$\"\"{x}\"\n"
                + "both=\"a%22b%5Cc%20d%2F%C3%A9%24%7Bx%7D\"\n");
  }

  @Test
  void envFilter_refusesASecretWithALineBreak_withoutShowingIt() throws Exception {
    Convergence c = write("KEY=\"${secret:pem|env}\"\n", Map.of("pem", "-----BEGIN\nhidden\n"));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason())
        .isEqualTo(
            "secret 'pem' cannot be an environment variable: it holds a line break or another"
                + " control character")
        .doesNotContain("hidden");
    assertThat(root.resolve("out")).doesNotExist();
  }

  @Test
  void lineFilter_writesTheValueAsItIs() throws Exception {
    Convergence c = write("relay user:${secret:p|line}\n", Map.of("p", "a:b|c $d"));

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(root.resolve("out")).hasContent("relay user:a:b|c $d\n");
  }

  @Test
  void lineFilter_refusesWhatWouldEndOrBlurTheLine_withoutShowingIt() throws Exception {
    Map<String, String> reasons =
        Map.of(
            "hidden\nroot other", "it holds a control character (a line break, a tab or a NUL)",
            "hidden\t", "it starts or ends with a space",
            "hid\tden", "it holds a control character (a line break, a tab or a NUL)",
            " hidden", "it starts or ends with a space",
            "", "it is empty");
    for (Map.Entry<String, String> value : reasons.entrySet()) {
      Convergence c = write("x ${secret:p|line}\n", Map.of("p", value.getKey()));

      assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
      assertThat(c.reason())
          .isEqualTo("secret 'p' cannot be one line's value: " + value.getValue())
          .doesNotContain("hidden");
    }
    assertThat(root.resolve("out")).doesNotExist();
  }

  @Test
  void unknownFilter_failsTheFile() throws Exception {
    Convergence c = write("${secret:s|shell}", Map.of("s", "v"));

    assertThat(c.reason())
        .isEqualTo("secret 's' has an unknown filter \"shell\" (use url, env or line)");
  }

  @Test
  void missingSecret_isNamedWithoutItsFilters() throws Exception {
    Convergence c = write("${secret:absent|url|env}", Map.of());

    assertThat(c.reason()).isEqualTo("secret 'absent' is not among the application's secrets");
  }
}
