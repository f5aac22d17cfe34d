package io.pulley.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.Revision;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreDurabilityTest {

  private static final int ACKS_BEFORE_KILL = 40;

  @TempDir Path dataDir;

  @Test
  void appendRevision_acknowledgedBeforeKill9_survivesInTheFile() throws Exception {
    Process child = startAppender();
    List<Long> acknowledged = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acknowledged.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
        if (line.startsWith(AppendUntilKilled.ACK)) {
          acknowledged.add(Long.parseLong(line.substring(AppendUntilKilled.ACK.length())));
        }
      }
      // SIGKILL while the child is still appending: no shutdown hook, no close().
      child.destroyForcibly();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
      assertThat(child.exitValue()).as("exit status of a SIGKILLed process").isEqualTo(128 + 9);
    }

    assertThat(acknowledged).as("acknowledged before the kill").hasSize(ACKS_BEFORE_KILL);
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      List<Long> stored =
          store.listRevisions(new AppEnv("shop", "production"), Integer.MAX_VALUE).stream()
              .map(Revision::getNumber)
              .toList();
      assertThat(stored).containsAll(acknowledged);
      // Still gapless: whatever the kill cut off is absent as a whole, not as a hole.
      assertThat(stored.get(0)).isEqualTo(stored.size());
    }
  }

  private Process startAppender() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            AppendUntilKilled.class.getName(),
            dataDir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }
}
