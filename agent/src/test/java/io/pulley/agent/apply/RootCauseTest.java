package io.pulley.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class RootCauseTest {
  private static final String LONG_PATH =
      "/srv/shop-production/releases/.c2e88727f8bc7118f4ba7e587f5831557f51cee9.tmp/"
          + "shop/static/js/vendor/a-long-file-name.min.js";

  @Test
  void aFileSystemFailure_namesTheCauseBeforeItsFiles() {
    assertThat(RootCause.of(new FileSystemException(LONG_PATH, null, "No space left on device")))
        .isEqualTo("No space left on device (" + LONG_PATH + ")");
    assertThat(RootCause.of(new FileSystemException("/a", "/b", "Read-only file system")))
        .isEqualTo("Read-only file system (/a, /b)");
  }

  @Test
  void otherExceptions_areTheirTypeAndFirstLine() {
    assertThat(RootCause.of(new IOException("first\nsecond"))).isEqualTo("first");
    assertThat(RootCause.of(new IllegalStateException("bad")))
        .isEqualTo("IllegalStateException: bad");
    assertThat(RootCause.of(new IllegalStateException())).isEqualTo("IllegalStateException");
  }

  @Test
  void aKnownCauseInTheReasonOrTheOutput_leadsTheReason() {
    assertThat(
            RootCause.first(
                "installing the project failed: exit status 1",
                "ERROR: Could not install packages due to an OSError: [Errno 28] No space left on"
                    + " device\n"))
        .isEqualTo("No space left on device — installing the project failed: exit status 1");
    assertThat(RootCause.first("write " + LONG_PATH + ": Read-only file system", ""))
        .startsWith("Read-only file system — write /srv/");
    assertThat(RootCause.first("No space left on device (/srv/x)", ""))
        .isEqualTo("No space left on device (/srv/x)");
    assertThat(RootCause.first("exit status 2", "usage: thing")).isEqualTo("exit status 2");
  }
}
