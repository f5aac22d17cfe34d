package io.pulley.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathGuardTest {
  @TempDir Path tmp;
  Path root;
  Path outside;
  PathGuard guard;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectory(tmp.resolve("srv"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    guard = new PathGuard(List.of(root));
  }

  @Test
  void check_pathInsideRoot_passes() throws Exception {
    assertThat(guard.check(root.resolve("app/not/yet/there").toString())).isEmpty();
    assertThat(guard.check(root.toString())).isEmpty();
  }

  @Test
  void check_dotDot_isRefusedAsNotNormalised() throws Exception {
    String path = root + "/../outside/x";

    assertThat(guard.check(path)).contains("path " + path + " is not normalised");
  }

  @Test
  void check_relativePath_isRefused() throws Exception {
    assertThat(guard.check("srv/x")).contains("path srv/x is not absolute");
  }

  @Test
  void check_siblingWithSamePrefix_isOutside() throws Exception {
    String path = tmp.resolve("srv2/x").toString();

    assertThat(guard.check(path))
        .contains("path " + path + " is outside the allowed roots [" + root + "]");
  }

  @Test
  void check_symlinkedAncestorLeavingRoot_isRefused() throws Exception {
    Files.createSymbolicLink(root.resolve("escape"), outside);
    String path = root.resolve("escape/passwd").toString();

    assertThat(guard.check(path)).hasValueSatisfying(r -> assertThat(r).contains("outside"));
  }

  @Test
  void check_danglingSymlinkLeavingRoot_isRefused() throws Exception {
    Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("missing"));

    assertThat(guard.check(root.resolve("dangling/file").toString())).isPresent();
  }

  @Test
  void check_symlinkStayingInsideRoot_passes() throws Exception {
    Files.createDirectory(root.resolve("real"));
    Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));

    assertThat(guard.check(root.resolve("alias/file").toString())).isEmpty();
  }

  @Test
  void check_rootThatIsASymlink_isResolvedToo() throws Exception {
    Path linkedRoot = Files.createSymbolicLink(tmp.resolve("www"), root);
    PathGuard linkedGuard = new PathGuard(List.of(linkedRoot));

    assertThat(linkedGuard.check(root.resolve("x").toString())).isEmpty();
  }

  @Test
  void check_linkOutAndBackIn_isRefusedNamingTheLinkOut() throws Exception {
    Path back = Files.createSymbolicLink(outside.resolve("back"), root);
    Path out = Files.createSymbolicLink(root.resolve("out"), outside);

    assertThat(guard.check(root.resolve("out/back/file").toString()))
        .contains(
            "path "
                + root.resolve("out/back/file")
                + " leads out of the allowed roots: "
                + out
                + " is a symlink to "
                + outside);
    assertThat(back).isSymbolicLink();
  }

  @Test
  void check_manyPaths_returnsTheFirstRefusal() throws Exception {
    Files.createSymbolicLink(root.resolve("releases"), outside);

    assertThat(guard.check(root.resolve("app"), root.resolve("releases/abc")))
        .hasValueSatisfying(
            r -> assertThat(r).contains(root.resolve("releases") + " is a symlink"));
    assertThat(guard.check(root.resolve("app"), root.resolve("cache/abc"))).isEmpty();
  }
}
