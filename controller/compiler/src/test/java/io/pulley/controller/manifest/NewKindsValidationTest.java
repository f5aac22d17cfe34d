package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The resource kinds of the stack can be written by hand too, and are checked the same way. */
class NewKindsValidationTest {

  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  private static final String HEAD =
      """
      application: hello
      environment: demo
      resources:
      """;

  @Test
  void compile_goodNewKinds_getDefaultIds() {
    CompileResult result =
        compiler.compile(
            HEAD
                + """
                  - package: {names: [nginx, python3-pyramid]}
                  - group: {name: hello}
                  - user: {name: hello, home: /srv/hello, groups: [www-data]}
                  - virtualenv: {path: /srv/hello/venv, system_site_packages: true}
                  - database: {name: hello, password_secret: db-pass, extensions: [uuid-ossp]}
                  - service: {name: hello.service, unit: "[Service]\\n", restart_on: [group:hello]}
                  - health_check: {url: "http://127.0.0.1/health", host_header: hello.example.com}
                  - release_link: {root: /srv/hello, commit: 0123456789abcdef0123456789abcdef01234567}
                """,
            "kinds.yaml");

    assertThat(result.errors()).isEmpty();
    assertThat(result.manifest().orElseThrow().getResourcesList())
        .extracting(Resource::getId)
        .containsExactly(
            "package:nginx,python3-pyramid",
            "group:hello",
            "user:hello",
            "virtualenv:/srv/hello/venv",
            "database:hello",
            "service:hello.service",
            "health_check:http://127.0.0.1/health",
            "release_link:/srv/hello");
    assertThat(result.manifest().orElseThrow().getResources(7).getReleaseLink().getKeep())
        .isEqualTo(5);
  }

  @Test
  void compile_badNewKinds_reportEveryField() {
    CompileResult result =
        compiler.compile(
            HEAD
                + """
                  - package: {names: ["nginx;rm", X]}
                  - group: {name: "Bad Group"}
                  - user: {name: root!, home: relative, groups: ["a b"]}
                  - virtualenv: {path: venv, pip_args: [""]}
                  - database: {name: "drop table", password_secret: "a b"}
                  - service: {name: "nginx; reboot"}
                  - health_check: {url: "ftp://x/", expect_status: 42, deadline_seconds: -1}
                  - release_link: {root: /srv/hello, commit: main, keep: 1000}
                  - command: {argv: [true], user: "Bad User", done_marker: rel/marker}
                  - file: {path: /etc/x, content: x, validate: []}
                  - git_release: {root: /srv/g, url: "https://e.com/g.git", ref: main, deploy_key_secret: "k k"}
                """,
            "kinds.yaml");

    assertThat(result.errors())
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "resources[0].package.names[0]",
            "resources[0].package.names[1]",
            "resources[1].group.name",
            "resources[2].user.name",
            "resources[2].user.home",
            "resources[2].user.groups[0]",
            "resources[3].virtualenv.path",
            "resources[3].virtualenv.pip_args[0]",
            "resources[4].database.name",
            "resources[4].database.password_secret",
            "resources[5].service.name",
            "resources[6].health_check.url",
            "resources[6].health_check.expect_status",
            "resources[6].health_check.deadline_seconds",
            "resources[7].release_link.commit",
            "resources[7].release_link.keep",
            "resources[8].command.user",
            "resources[8].command.done_marker",
            "resources[9].file.validate",
            "resources[10].git_release.deploy_key_secret");
    List<ManifestError> lines =
        result.errors().stream().filter(e -> e.getField().startsWith("resources[5]")).toList();
    assertThat(lines).singleElement().satisfies(e -> assertThat(e.getLine()).isEqualTo(9));
  }

  @Test
  void compile_databaseDump_getsItsIdAndEveryBadFieldIsNamed() {
    CompileResult good =
        compiler.compile(
            HEAD
                + """
                  - database_dump: {database: hello, dir: /srv/hello/dumps, label: v1-2, done_marker: /srv/hello/.dumped-v1-2}
                """,
            "dump.yaml");
    CompileResult bad =
        compiler.compile(
            HEAD
                + """
                  - database_dump: {database: "a;b", dir: dumps, label: "../x", keep: 101, timeout_seconds: 86401}
                """,
            "dump.yaml");

    assertThat(good.errors()).isEmpty();
    assertThat(good.manifest().orElseThrow().getResources(0).getId())
        .isEqualTo("database_dump:hello");
    assertThat(bad.errors())
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "resources[0].database_dump.database",
            "resources[0].database_dump.dir",
            "resources[0].database_dump.label",
            "resources[0].database_dump.done_marker",
            "resources[0].database_dump.keep",
            "resources[0].database_dump.timeout_seconds");
  }

  @Test
  void compile_serviceProbe_isReadAndChecked() {
    CompileResult good =
        compiler.compile(
            HEAD
                + """
                  - service: {name: pg.service, probe: {argv: [pg_isready, --quiet], timeout_seconds: 60}}
                """,
            "probe.yaml");
    CompileResult bad =
        compiler.compile(
            HEAD
                + """
                  - service: {name: a.service, probe: {argv: []}}
                  - service: {name: b.service, probe: {argv: [x], timeout_seconds: 601}}
                """,
            "probe.yaml");

    assertThat(good.errors()).isEmpty();
    assertThat(good.manifest().orElseThrow().getResources(0).getService().getProbe().getArgvList())
        .containsExactly("pg_isready", "--quiet");
    assertThat(bad.errors())
        .extracting(ManifestError::getField)
        .containsExactly(
            "resources[0].service.probe.argv", "resources[1].service.probe.timeout_seconds");
  }
}
