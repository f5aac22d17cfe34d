package io.pulley.agent.apply.handover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.agent.apply.systemd.StepFailed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheDirectoryTest {
  private static final String A = "a".repeat(40);
  private static final String B = "b".repeat(40);

  @TempDir Path tmp;
  private Path cache;
  private Path state;

  @BeforeEach
  void layout() throws Exception {
    cache = Files.createDirectories(tmp.resolve("srv/app/nginx-cache"));
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
    state = tmp.resolve("state");
  }

  /** Two responses in nginx's levels=1:2 layout, as nginx writes them. */
  private void twoResponses() throws Exception {
    Files.createDirectories(cache.resolve("5/39"));
    Files.writeString(cache.resolve("5/39/abe2750d8860b65b2b875755c8b78395"), "KEY: /page");
    Files.createDirectories(cache.resolve("f/7f"));
    Files.writeString(cache.resolve("f/7f/6f02d2c8f7ada1b0005bab85daec87ff"), "KEY: /");
  }

  private CacheDirectory directory() {
    return new CacheDirectory(cache, state, "app-uwsgi@.service");
  }

  @Test
  void aNewRelease_emptiesTheDirectory_andKeepsItWithItsMode() throws Exception {
    directory().emptyFor(A);
    twoResponses();

    OptionalLong deleted = directory().emptyFor(B);

    assertThat(deleted).hasValue(2);
    assertThat(cache).isEmptyDirectory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
        .isEqualTo("rwx------");
  }

  @Test
  void theSameReleaseAgain_deletesNothing() throws Exception {
    directory().emptyFor(A);
    twoResponses();

    assertThat(directory().emptyFor(A)).isEmpty();
    assertThat(cache.resolve("5/39/abe2750d8860b65b2b875755c8b78395")).exists();
  }

  @Test
  void aCrashBeforeTheRecord_emptiesItAgainAtTheNextApply() throws Exception {
    twoResponses();
    // The record is written last: an agent killed before it has none, as before its first run.
    assertThat(directory().emptyFor(B)).hasValue(2);
    Files.writeString(cache.resolve("new-release-response"), "KEY: /");
    Files.delete(state.resolve("cache-emptied/app-uwsgi@.service"));

    assertThat(directory().emptyFor(B)).hasValue(1);
    assertThat(directory().emptyFor(B)).isEmpty();
  }

  @Test
  void aSymbolicLinkInside_isDeleted_neverFollowed() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("srv/other"));
    Files.writeString(elsewhere.resolve("precious"), "keep");
    Files.createSymbolicLink(cache.resolve("link"), elsewhere);
    Files.createSymbolicLink(cache.resolve("file-link"), elsewhere.resolve("precious"));

    directory().emptyFor(B);

    assertThat(cache).isEmptyDirectory();
    assertThat(elsewhere.resolve("precious")).hasContent("keep");
  }

  @Test
  void aCacheDirectoryThatIsALink_isRefused_andNothingIsDeleted() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("srv/other"));
    Files.writeString(elsewhere.resolve("precious"), "keep");
    Files.delete(cache);
    Files.createSymbolicLink(cache, elsewhere);

    assertThatThrownBy(() -> directory().emptyFor(B))
        .isInstanceOf(StepFailed.class)
        .hasMessageContaining("is a symbolic link");
    assertThat(elsewhere.resolve("precious")).hasContent("keep");
  }

  @Test
  void aMissingDirectory_isNothingToEmpty() throws Exception {
    Files.delete(cache);

    assertThat(directory().emptyFor(B)).hasValue(0);
    assertThat(cache).doesNotExist();
  }
}
