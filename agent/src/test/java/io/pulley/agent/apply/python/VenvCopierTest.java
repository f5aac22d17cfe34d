package io.pulley.agent.apply.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VenvCopierTest {
  @TempDir Path dir;

  @Test
  void copy_rewritesTheOldPathInScriptsAndConfigOnly() throws IOException {
    Path old = dir.resolve("releases/aaa/venv");
    Path bin = Files.createDirectories(old.resolve("bin"));
    Files.writeString(bin.resolve("pip"), "#!" + old + "/bin/python\nimport pip\n");
    Files.setPosixFilePermissions(bin.resolve("pip"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.write(
        bin.resolve("compiled"), ("\0" + old).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Files.writeString(
        old.resolve("pyvenv.cfg"), "home = /usr/bin\ncommand = python -m venv " + old + "\n");
    Files.createDirectories(old.resolve("lib/site"));
    Files.writeString(old.resolve("lib/site/notes.txt"), old.toString());
    Files.createSymbolicLink(bin.resolve("python"), Path.of("/usr/bin/python3"));
    Files.createSymbolicLink(old.resolve("lib64"), Path.of("lib"));
    Files.createSymbolicLink(bin.resolve("inside"), old.resolve("lib/site"));
    Path copy = dir.resolve("releases/bbb/venv");
    Files.createDirectories(copy.getParent());

    Files.writeString(old.resolve(VenvMarker.FILE_NAME), "key=k\nproject=\n");
    Path partial = copy.resolveSibling(".venv.partial");

    VenvCopier.copy(old, partial, copy);
    Files.move(partial, copy);

    assertThat(copy.resolve(VenvMarker.FILE_NAME)).doesNotExist();

    assertThat(Files.readString(copy.resolve("bin/pip")))
        .isEqualTo("#!" + copy + "/bin/python\nimport pip\n");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.resolve("bin/pip"))))
        .isEqualTo("rwxr-x---");
    assertThat(Files.readString(copy.resolve("pyvenv.cfg"))).contains("venv " + copy + "\n");
    assertThat(Files.readAllBytes(copy.resolve("bin/compiled")))
        .isEqualTo(Files.readAllBytes(bin.resolve("compiled")));
    assertThat(Files.readString(copy.resolve("lib/site/notes.txt"))).isEqualTo(old.toString());
    assertThat(Files.readSymbolicLink(copy.resolve("bin/python")))
        .isEqualTo(Path.of("/usr/bin/python3"));
    assertThat(Files.readSymbolicLink(copy.resolve("lib64"))).isEqualTo(Path.of("lib"));
    assertThat(Files.readSymbolicLink(copy.resolve("bin/inside")))
        .isEqualTo(copy.resolve("lib/site"));
    assertThat(Files.readString(bin.resolve("pip"))).contains(old.toString());
  }
}
