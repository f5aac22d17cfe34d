package io.pulley.agent.apply.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.process.ProcessRunner;
import io.pulley.agent.facts.HostPython;
import io.pulley.v1.lite.ResourceOutcome;
import io.pulley.v1.lite.Virtualenv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtualenvExecutorTest {
  @TempDir Path dir;

  private VirtualenvExecutor executor;

  @org.junit.jupiter.api.BeforeEach
  void guardTheTempDir() {
    executor =
        new VirtualenvExecutor(
            new PathGuard(List.of(dir.resolve("releases"))),
            new ProcessRunner(),
            new HostPython(Path.of(TestPython.executable())));
  }

  @Test
  void converge_newRelease_createsTheVenvAndInstallsTheProject() throws IOException {
    Path release = TestPython.project(dir.resolve("releases/aaa"), "hello", "one");

    Convergence c = converge(spec(release).build());

    assertThat(c.outcome()).as(c.reason() + c.outputTail()).isEqualTo(changed());
    assertThat(c.reason()).isEqualTo("created");
    assertThat(python(release, "import hello; print(hello.VALUE)")).isEqualTo("one");
    assertThat(release.resolve("venv/.pulley-venv")).exists();
  }

  @Test
  void converge_planWithoutInterpreter_usesTheHostsPython3_resolved() throws IOException {
    Path python3 =
        Files.createSymbolicLink(dir.resolve("python3"), Path.of(TestPython.executable()));
    VirtualenvExecutor withLink =
        new VirtualenvExecutor(
            new PathGuard(List.of(dir.resolve("releases"))),
            new ProcessRunner(),
            new HostPython(python3));
    Path release = TestPython.project(dir.resolve("releases/aaa"), "hello", "one");

    Convergence c =
        withLink.converge(
            spec(release).clearPython().build(), Contexts.plain(dir.resolve("state")));

    assertThat(c.outcome()).as(c.reason() + c.outputTail()).isEqualTo(changed());
    assertThat(python(release, "import sys, os; print(os.path.realpath(sys._base_executable))"))
        .isEqualTo(Path.of(TestPython.executable()).toRealPath().toString());
  }

  @Test
  void converge_planWithoutInterpreter_onAHostWithoutPython3_failsSayingWhatToInstall()
      throws IOException {
    VirtualenvExecutor noPython =
        new VirtualenvExecutor(
            new PathGuard(List.of(dir.resolve("releases"))),
            new ProcessRunner(),
            new HostPython(dir.resolve("no-python3")));
    Path release = TestPython.project(dir.resolve("releases/aaa"), "hello", "one");

    Convergence c =
        noPython.converge(
            spec(release).clearPython().build(), Contexts.plain(dir.resolve("state")));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason())
        .startsWith("no python3 on this host: ")
        .contains("install Debian's python3 package");
    assertThat(release.resolve("venv")).doesNotExist();
  }

  @Test
  void converge_projectWithoutPackagingMetadata_makesTheVenv_andLeavesTheCodeInTheRelease()
      throws IOException {
    Path release = dir.resolve("releases/aaa");
    Files.createDirectories(release.resolve("mysite"));
    Files.writeString(release.resolve("manage.py"), "print('manage')\n");
    Files.writeString(release.resolve("mysite/__init__.py"), "VALUE = 'django-like'\n");

    Convergence c = converge(spec(release).build());

    assertThat(c.outcome()).as(c.reason() + c.outputTail()).isEqualTo(changed());
    assertThat(c.reason())
        .isEqualTo(
            "created; no pyproject.toml, setup.py or setup.cfg: the code runs from the release");
    assertThat(release.resolve("venv/.pulley-venv")).exists();
    // Imported from the release directory, where uWSGI, Celery and the commands start.
    assertThat(
            TestPython.run(
                    List.of(
                        release + "/venv/bin/python",
                        "-c",
                        "import os; os.chdir('"
                            + release
                            + "'); import sys;"
                            + " sys.path.insert(0, ''); import mysite; print(mysite.VALUE)"))
                .stdout()
                .strip())
        .isEqualTo("django-like");
  }

  @Test
  void converge_twice_reportsUnchanged() throws IOException {
    Path release = TestPython.project(dir.resolve("releases/aaa"), "hello", "one");
    converge(spec(release).build());

    Convergence again = converge(spec(release).build());

    assertThat(again.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(again.reason()).isEqualTo("up to date");
  }

  @Test
  void converge_siblingWithSameRequirements_reusesItsVenvAtTheNewPath() throws IOException {
    Path old = TestPython.project(dir.resolve("releases/aaaaaaaaaaaaaaaa"), "hello", "one");
    assertThat(converge(spec(old).build()).changed()).isTrue();
    Path release = TestPython.project(dir.resolve("releases/bbbbbbbbbbbbbbbb"), "hello", "two");

    Convergence c = converge(spec(release).build());

    assertThat(c.outcome()).as(c.reason() + c.outputTail()).isEqualTo(changed());
    assertThat(c.reason()).isEqualTo("reused from aaaaaaaaaaaa");
    Path venv = release.resolve("venv");
    assertThat(python(release, "import sys, hello; print(sys.prefix, hello.VALUE)"))
        .isEqualTo(venv + " two");
    assertThat(python(old, "import hello; print(hello.VALUE)")).isEqualTo("one");
    assertThat(filesMentioning(venv, old.resolve("venv").toString())).isEmpty();
    assertThat(Files.readString(venv.resolve("bin/activate"))).contains(venv.toString());
    assertThat(TestPython.run(List.of(venv + "/bin/pip", "--version")).stdout())
        .contains(venv.toString());
  }

  @Test
  void converge_requirementsChanged_makesANewVenvInsteadOfReusing() throws IOException {
    Path old = TestPython.project(dir.resolve("releases/aaa"), "hello", "one");
    converge(spec(old).build());
    Path release = TestPython.project(dir.resolve("releases/bbb"), "hello", "two");
    // Satisfied by the interpreter's own site-packages, so pip needs no index.
    Files.writeString(release.resolve("requirements.txt"), "pip\n");

    Convergence c =
        converge(
            spec(release)
                .setRequirements(release.resolve("requirements.txt").toString())
                .addPipArgs("--no-index")
                .build());

    assertThat(c.outcome()).as(c.reason() + c.outputTail()).isEqualTo(changed());
    assertThat(c.reason()).isEqualTo("created, requirements installed");
  }

  @Test
  void converge_halfMadeVenv_isDeletedAndMadeAgain() throws IOException {
    Path release = TestPython.project(dir.resolve("releases/aaa"), "hello", "one");
    Files.createDirectories(release.resolve("venv/bin"));
    Files.writeString(release.resolve("venv/bin/leftover"), "from a crash");

    Convergence c = converge(spec(release).build());

    assertThat(c.outcome()).as(c.reason() + c.outputTail()).isEqualTo(changed());
    assertThat(release.resolve("venv/bin/leftover")).doesNotExist();
    assertThat(python(release, "import hello; print(hello.VALUE)")).isEqualTo("one");
  }

  @Test
  void converge_projectThatCannotBeBuilt_failsWithTheOutputAndLeavesNoMarker() throws IOException {
    Path release = Files.createDirectories(dir.resolve("releases/aaa"));
    Files.writeString(
        release.resolve("pyproject.toml"),
        "[build-system]\nrequires = []\nbuild-backend = \"flit_core.buildapi\"\n");

    Convergence c = converge(spec(release).build());

    assertThat(c.failed()).isTrue();
    assertThat(c.reason())
        .startsWith("installing the project failed: exit status")
        .contains("add flit to stack.packages");
    assertThat(c.outputTail()).isNotEmpty();
    assertThat(release.resolve("venv/.pulley-venv")).doesNotExist();

    TestPython.project(release, "hello", "fixed");
    Convergence retry = converge(spec(release).build());
    assertThat(retry.outcome()).as(retry.reason() + retry.outputTail()).isEqualTo(changed());
    assertThat(python(release, "import hello; print(hello.VALUE)")).isEqualTo("fixed");
  }

  @Test
  void converge_missingRequirementsFile_failsNamingIt() throws IOException {
    Path release = Files.createDirectories(dir.resolve("releases/aaa"));
    String requirements = release.resolve("requirements.txt").toString();

    Convergence c = converge(spec(release).setRequirements(requirements).build());

    assertThat(c.failed()).isTrue();
    assertThat(c.reason()).contains(requirements);
    assertThat(release.resolve("venv")).doesNotExist();
  }

  @Test
  void converge_relativePath_failsWithThePath() throws IOException {
    Convergence c = converge(Virtualenv.newBuilder().setPath("releases/aaa/venv").build());

    assertThat(c.failed()).isTrue();
    assertThat(c.reason()).contains("'releases/aaa/venv'");
  }

  @Test
  void converge_outsideTheAllowedRoots_failsWithoutTouchingIt() throws IOException {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/venv"));

    Convergence c = converge(Virtualenv.newBuilder().setPath(elsewhere.toString()).build());

    assertThat(c.reason()).contains("outside the allowed roots");
    assertThat(elsewhere).exists();
  }

  private Convergence converge(Virtualenv spec) throws IOException {
    return executor.converge(spec, Contexts.plain(dir.resolve("state")));
  }

  private static Virtualenv.Builder spec(Path release) {
    return Virtualenv.newBuilder()
        .setPath(release.resolve("venv").toString())
        .setPython(TestPython.executable())
        .setSystemSitePackages(true)
        .setInstall(release.toString());
  }

  private static String python(Path release, String code) {
    return TestPython.run(List.of(release + "/venv/bin/python", "-c", code)).stdout().strip();
  }

  private static List<Path> filesMentioning(Path venv, String text) throws IOException {
    try (Stream<Path> files =
        Stream.concat(Files.list(venv.resolve("bin")), Stream.of(venv.resolve("pyvenv.cfg")))) {
      return files.filter(Files::isRegularFile).filter(f -> read(f).contains(text)).toList();
    }
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ResourceOutcome changed() {
    return ResourceOutcome.RESOURCE_OUTCOME_CHANGED;
  }
}
