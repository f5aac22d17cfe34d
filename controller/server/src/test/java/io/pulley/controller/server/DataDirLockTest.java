package io.pulley.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.controller.manifest.JGitRefResolver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One controller per data dir; the second one is told whose it is. */
class DataDirLockTest {
  private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);

  @TempDir Path dataDir;

  @Test
  void start_secondControllerOnTheSameDataDir_failsNamingTheDirAndThePid() throws Exception {
    try (ControllerServer first =
        ControllerServer.start(
            ControllerConfig.of(dataDir, LOCAL), new JGitRefResolver(), Clock.systemUTC())) {

      assertThatThrownBy(
              () ->
                  ControllerServer.start(
                      ControllerConfig.of(dataDir, LOCAL),
                      new JGitRefResolver(),
                      Clock.systemUTC()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "data dir "
                  + dataDir
                  + " is in use by another controller (pid "
                  + ProcessHandle.current().pid()
                  + ")");
      assertThat(first.port()).isPositive();
    }
  }

  @Test
  void start_afterTheFirstControllerClosed_succeeds() throws Exception {
    ControllerServer.start(
            ControllerConfig.of(dataDir, LOCAL), new JGitRefResolver(), Clock.systemUTC())
        .close();

    DataDirLock.acquire(dataDir).close();

    assertThat(dataDir.resolve(DataDirLock.FILE_NAME)).exists();
  }
}
