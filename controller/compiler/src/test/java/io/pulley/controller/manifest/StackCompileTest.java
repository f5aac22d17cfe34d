package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Handover;
import io.pulley.v1.HandoverMode;
import io.pulley.v1.Manifest;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import io.pulley.v1.StackWeb;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stack section is checked field by field, pinned, and rendered after the admin's resources. */
class StackCompileTest {

  private final FixedRefResolver resolver = new FixedRefResolver();
  private final ManifestCompiler compiler = new ManifestCompiler(resolver);

  static final String SAMPLE =
      """
      application: pulley-sample
      environment: staging
      resources:
        - directory: {path: /srv/extra}
      stack:
        git: {url: "https://git.example.com/pulley-sample.git", ref: main}
        python: {system_site_packages: true}
        web: {wsgi: pulley_sample.wsgi}
        site:
          domains: [sample.example.com]
          static_dir: pulley_sample/static
        celery: {app: pulley_sample.tasks, beat: true}
        database: {}
        redis: {}
        commands:
          - name: migrate
            argv: [python, -m, alembic, -c, alembic.ini, upgrade, head]
      """;

  private List<ManifestError> errorsOf(String yaml) {
    CompileResult result = compiler.compile(yaml, "stack.yaml");
    assertThat(result.ok()).as("expected errors").isFalse();
    return result.errors();
  }

  private static String stackWith(String lines) {
    return """
        application: pulley-sample
        environment: staging
        stack:
        """
        + lines;
  }

  private static final String VALID_PARTS =
      """
        git: {url: "https://git.example.com/a.git", ref: main}
        web: {wsgi: app.wsgi}
        site: {domains: [a.example.com]}
      """;

  @Test
  void compile_sample_pinsTheCommitAndAppendsTheRenderedResources() {
    CompileResult result = compiler.compile(SAMPLE, "sample.yaml");

    assertThat(result.errors()).isEmpty();
    Manifest manifest = result.manifest().orElseThrow();
    assertThat(manifest.getStack().getGit().getCommit()).isEqualTo(FixedRefResolver.COMMIT);
    assertThat(resolver.asked).containsExactly("https://git.example.com/pulley-sample.git main");
    List<String> ids = manifest.getResourcesList().stream().map(Resource::getId).toList();
    assertThat(ids.get(0)).isEqualTo("directory:/srv/extra");
    assertThat(ids.get(1)).isEqualTo("package:stack");
    assertThat(ids)
        .containsSubsequence("command:migrate", "service:nginx", "handover", "release:switch")
        .endsWith("health", "schema:database");
    assertThat(manifest.getResources(ids.indexOf("release:checkout")).getGitRelease().getCommit())
        .isEqualTo(FixedRefResolver.COMMIT);
  }

  @Test
  void compile_emptyStack_reportsEveryRequiredField() {
    List<ManifestError> errors = errorsOf(stackWith("  name: shop\n"));

    assertThat(errors)
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.git.url", "stack.git.ref", "stack.web.wsgi", "stack.site.domains");
    assertThat(errors).allSatisfy(e -> assertThat(e.getLine()).isEqualTo(3));
  }

  @Test
  void compile_unknownHandoverAndOutOfRangeWebValues_areRefusedWithTheField() {
    List<ManifestError> errors =
        errorsOf(
            stackWith(
                VALID_PARTS.replace(
                    "web: {wsgi: app.wsgi}",
                    "web: {wsgi: app.wsgi, handover: blue-green, drain_seconds: 900,"
                        + " listen: 5000}")));

    assertThat(errors)
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.web.handover", "stack.web.drain_seconds", "stack.web.listen");
    assertThat(errors)
        .filteredOn(e -> e.getField().equals("stack.web.handover"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getReason())
                    .isEqualTo(
                        "handover must be \"per-release\" (the default) or \"reload\", was"
                            + " \"blue-green\""));
    assertThat(errors)
        .filteredOn(e -> e.getField().equals("stack.web.listen"))
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("somaxconn"));
  }

  @Test
  void compile_applicationFactory_isCalledByUwsgi_withoutArguments() {
    Manifest manifest =
        compiler
            .compile(
                stackWith(VALID_PARTS.replace("wsgi: app.wsgi", "wsgi: \"flaskr:create_app()\"")),
                "stack.yaml")
            .manifest()
            .orElseThrow();

    String ini =
        manifest.getResourcesList().stream()
            .filter(r -> r.getId().equals("file:uwsgi-ini"))
            .findFirst()
            .orElseThrow()
            .getFile()
            .getContent();
    assertThat(ini).contains("\nmodule = flaskr:create_app()\n");
  }

  @Test
  void compile_factoryWithArguments_orAMangledReference_isRefusedSayingWhatToWrite() {
    for (String wsgi : List.of("flaskr:create_app('prod')", "flaskr:create_app(", "a:b:c()")) {
      List<ManifestError> errors =
          errorsOf(stackWith(VALID_PARTS.replace("wsgi: app.wsgi", "wsgi: \"" + wsgi + "\"")));

      assertThat(errors)
          .as(wsgi)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getField()).isEqualTo("stack.web.wsgi");
                assertThat(e.getReason()).contains("create_app()");
              });
    }
  }

  @Test
  void compile_handoverWords_fillTheEnumField() {
    assertThat(webOf("web: {wsgi: app.wsgi, handover: reload}").getHandoverMode())
        .isEqualTo(HandoverMode.HANDOVER_MODE_RELOAD);
    assertThat(webOf("web: {wsgi: app.wsgi, handover: per-release}").getHandoverMode())
        .isEqualTo(HandoverMode.HANDOVER_MODE_PER_RELEASE);
    assertThat(webOf("web: {wsgi: app.wsgi, handover: \"\"}").getHandoverMode())
        .isEqualTo(HandoverMode.HANDOVER_MODE_UNSPECIFIED);
  }

  @Test
  void compile_handoverInAnotherSpellingOrShape_isRefusedAsWhenItWasAString() {
    for (String word : List.of("RELOAD", "per_release", "HANDOVER_MODE_RELOAD", "5")) {
      assertThat(
              errorsOf(
                  stackWith(VALID_PARTS.replace("app.wsgi}", "app.wsgi, handover: " + word + "}"))))
          .singleElement()
          .satisfies(e -> assertThat(e.getField()).isEqualTo("stack.web.handover"))
          .satisfies(
              e ->
                  assertThat(e.getReason())
                      .isEqualTo(
                          "handover must be \"per-release\" (the default) or \"reload\", was \""
                              + word
                              + "\""));
    }
    assertThat(
            errorsOf(stackWith(VALID_PARTS.replace("app.wsgi}", "app.wsgi, handover: [reload]}"))))
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).isEqualTo("expected a string, got a sequence"));
  }

  @Test
  void compile_handoverModeKey_isUnknown_soAManifestHasOneWayToSayIt() {
    assertThat(
            errorsOf(
                stackWith(VALID_PARTS.replace("app.wsgi}", "app.wsgi, handover_mode: reload}"))))
        .singleElement()
        .satisfies(e -> assertThat(e.getField()).isEqualTo("stack.web.handover_mode"))
        .satisfies(
            e ->
                assertThat(e.getReason())
                    .isEqualTo(
                        "unknown field \"handover_mode\"; expected one of wsgi, processes,"
                            + " threads, harakiri, max_requests, listen, buffer_size, handover,"
                            + " drain_seconds"));
  }

  @Test
  void compile_storesTheStackAsWritten_andRendersItWithTheDefaults() {
    Manifest manifest =
        compiler.compile(stackWith(VALID_PARTS), "stack.yaml").manifest().orElseThrow();

    // Filled in, the stored stack would hash unlike every revision stored before.
    StackWeb web = manifest.getStack().getWeb();
    assertThat(List.of(web.getHarakiri(), web.getDrainSeconds(), web.getListen())).containsOnly(0);
    assertThat(web.getHandoverMode()).isEqualTo(HandoverMode.HANDOVER_MODE_UNSPECIFIED);
    assertThat(manifest.getStack().getGit().getKeep()).isZero();
    Handover handover =
        manifest.getResourcesList().stream()
            .filter(Resource::hasHandover)
            .findFirst()
            .orElseThrow()
            .getHandover();
    assertThat(handover.getDrainSeconds()).isEqualTo(2);
    assertThat(handover.getRequestTimeoutSeconds()).isEqualTo(300);
    assertThat(ContentHash.of(manifest))
        .isEqualTo(
            ContentHash.of(
                compiler.compile(stackWith(VALID_PARTS), "again.yaml").manifest().orElseThrow()));
  }

  private StackWeb webOf(String webLine) {
    return compiler
        .compile(stackWith(VALID_PARTS.replace("web: {wsgi: app.wsgi}", webLine)), "stack.yaml")
        .manifest()
        .orElseThrow()
        .getStack()
        .getWeb();
  }

  @Test
  void compile_badValues_areReportedWithFieldAndReason() {
    List<ManifestError> errors =
        errorsOf(
            stackWith(
                VALID_PARTS.replace("app.wsgi", "\"app wsgi\"")
                    + """
                      name: Shop
                      root: relative/dir
                      packages: [Nginx]
                      celery: {concurrency: 2}
                      database: {name: "bad-name", extensions: ["x;y"], dumps: {keep: 101, timeout_seconds: -1}}
                      commands:
                        - {name: migrate, argv: [python]}
                        - {name: migrate, argv: []}
                      environment: {PATH: /bin, "1X": y, BREAK: "a\\nb"}
                    """));

    assertThat(errors)
        .extracting(ManifestError::getField)
        .contains(
            "stack.name",
            "stack.root",
            "stack.packages[0]",
            "stack.web.wsgi",
            "stack.celery.app",
            "stack.celery",
            "stack.database.name",
            "stack.database.extensions[0]",
            "stack.database.dumps.keep",
            "stack.database.dumps.timeout_seconds",
            "stack.commands[1].name",
            "stack.commands[1].argv",
            "stack.environment[\"PATH\"]",
            "stack.environment[\"1X\"]",
            "stack.environment[\"BREAK\"]");
    assertThat(errors)
        .filteredOn(e -> e.getField().equals("stack.commands[1].name"))
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("already used by stack.commands[0]"));
    assertThat(errors)
        .filteredOn(e -> e.getField().equals("stack.celery"))
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("needs a broker"));
  }

  @Test
  void compile_siteValuesThatWouldBreakOutOfNginx_areRefused() {
    List<ManifestError> errors =
        errorsOf(
            stackWith(
                """
                  git: {url: "https://git.example.com/a.git", ref: main}
                  web: {wsgi: app.wsgi}
                  site:
                    domains: ["a.example.com;", "*.example.com"]
                    http_port: 70000
                    static_url: "/static/ { deny all; }"
                    static_dir: ../etc
                    client_max_body_size: "1m; root /"
                    htpasswd: ["admin hash", "ok:$2y$05$abc"]
                    real_ip_from: ["10.0.0.0/8; allow all"]
                    tls: {certificate: "/etc/ssl/a b.pem", key: etc/key.pem, port: 80, hsts_max_age: -2}
                  health: {path: "/health;", expect_status: 700, deadline_seconds: 99999}
                """));

    assertThat(errors)
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.site.domains[0]",
            "stack.site.http_port",
            "stack.site.static_url",
            "stack.site.static_dir",
            "stack.site.client_max_body_size",
            "stack.site.htpasswd[0]",
            "stack.site.real_ip_from[0]",
            "stack.site.tls.certificate",
            "stack.site.tls.key",
            "stack.site.tls.hsts_max_age",
            "stack.health.path",
            "stack.health.expect_status",
            "stack.health.deadline_seconds");
  }

  @Test
  void compile_firstDomainWildcard_isRefusedAsHealthCheckHost() {
    List<ManifestError> errors =
        errorsOf(stackWith(VALID_PARTS.replace("[a.example.com]", "[\"*.example.com\"]")));

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.site.domains[0]");
              assertThat(e.getReason()).contains("cannot be a wildcard");
            });
  }

  @Test
  void compile_websocketPathWithoutWebsocketOrNotAPrefix_isRefused() {
    List<ManifestError> withoutWebsocket =
        errorsOf(
            stackWith(
                VALID_PARTS.replace(
                    "site: {domains: [a.example.com]}",
                    "site: {domains: [a.example.com], websocket_path: /live/}")));
    List<ManifestError> notAPrefix =
        errorsOf(
            stackWith(
                VALID_PARTS.replace(
                    "site: {domains: [a.example.com]}",
                    "site: {domains: [a.example.com], websocket: true, websocket_path: live}")));

    assertThat(withoutWebsocket)
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("needs websocket: true"));
    assertThat(notAPrefix)
        .singleElement()
        .satisfies(e -> assertThat(e.getField()).isEqualTo("stack.site.websocket_path"));
  }

  @Test
  void compile_settingsWithLineBreaksOrClashes_areRefused() {
    List<ManifestError> errors =
        errorsOf(
            stackWith(
                VALID_PARTS
                    + """
                      database: {}
                      settings:
                        values:
                          sqlalchemy.url: "sqlite://"
                          greeting: "hi\\n[app:evil]"
                          "bad key": x
                          ref: "${secret:other}"
                        secrets: [database-password, token, token]
                    """));

    assertThat(errors)
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.settings.values[\"sqlalchemy.url\"]",
            "stack.settings.values[\"greeting\"]",
            "stack.settings.values[\"bad key\"]",
            "stack.settings.values[\"ref\"]",
            "stack.settings.secrets[0]",
            "stack.settings.secrets[2]");
    assertThat(errors)
        .filteredOn(e -> e.getField().endsWith("[\"greeting\"]"))
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("line break"));
  }

  @Test
  void compile_ownResourceWithARenderedId_isRefused() {
    List<ManifestError> errors =
        errorsOf(
            stackWith(VALID_PARTS)
                + """
                resources:
                  - id: health
                    directory: {path: /srv/x}
                """);

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("resources[0].id");
              assertThat(e.getReason()).contains("the stack section renders");
            });
  }

  @Test
  void compile_serviceWatchingAnUnknownIdOrALaterResource_isRefused() {
    List<ManifestError> errors =
        errorsOf(
            stackWith(VALID_PARTS)
                + """
                resources:
                  - service: {name: extra.service, restart_on: [file:settings, file:nope]}
                """);

    // The stack's resources come after the manifest's own, so its settings file is "later".
    assertThat(errors)
        .extracting(ManifestError::getField, ManifestError::getReason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "resources[0].service.restart_on[0]",
                "resource \"file:settings\" comes after this service; resources converge in"
                    + " order, so move it before"),
            org.assertj.core.groups.Tuple.tuple(
                "resources[0].service.restart_on[1]",
                "no resource has the id \"file:nope\"; name a resource of this manifest (see"
                    + " `pulley plan` for the stack's ids)"));
  }

  @Test
  void compile_stackNamedAfterASystemAccountOrSystemdsDirectory_isRefused_evenByItsApplication() {
    for (String name : List.of("postgres", "www-data", "private", "systemd-network")) {
      List<ManifestError> errors =
          errorsOf(
              """
              application: %s
              environment: staging
              stack:
              """
                      .formatted(name)
                  + VALID_PARTS);

      assertThat(errors)
          .as(name)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getField()).isEqualTo("stack.name");
                assertThat(e.getReason()).startsWith("\"" + name + "\" is a name the system");
              });
    }
    assertThat(compiler.compile(stackWith("  name: shop\n" + VALID_PARTS), "a.yaml").ok()).isTrue();
  }
}
