package io.pulley.agent.apply.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.v1.lite.File;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file that is there only while another path exists ({@code only_if_exists}). */
class FileConditionTest {
  @TempDir Path root;
  @TempDir Path stateDir;
  @TempDir Path elsewhere;

  private Convergence converge(Path target, Path condition) throws Exception {
    return new FileExecutor(new PathGuard(List.of(root)))
        .converge(
            File.newBuilder()
                .setPath(target.toString())
                .setContent("server {}\n")
                .setOnlyIfExists(condition.toString())
                .build(),
            Contexts.plain(stateDir));
  }

  @Test
  void absentUntilTheConditionExists_thenWritten_thenRemovedWhenItGoes() throws Exception {
    Path target = root.resolve("site.tls.conf");
    Path certificate = elsewhere.resolve("fullchain.pem");

    Convergence waiting = converge(target, certificate);
    assertThat(waiting.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(waiting.reason()).isEqualTo("absent until " + certificate + " exists");
    assertThat(target).doesNotExist();

    Files.writeString(certificate, "cert");
    assertThat(converge(target, certificate).outcome())
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(target).hasContent("server {}\n");
    assertThat(converge(target, certificate).outcome())
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);

    Files.delete(certificate);
    Convergence removed = converge(target, certificate);
    assertThat(removed.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(removed.reason()).isEqualTo("removed: absent until " + certificate + " exists");
    assertThat(target).doesNotExist();
  }

  @Test
  void aTargetOutsideTheRoots_isRefused_beforeTheConditionIsLookedAt() throws Exception {
    Path outside = elsewhere.resolve("site.conf");
    Files.writeString(outside, "keep me");

    Convergence refused = converge(outside, elsewhere.resolve("absent"));

    assertThat(refused.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(outside).hasContent("keep me");
  }
}
