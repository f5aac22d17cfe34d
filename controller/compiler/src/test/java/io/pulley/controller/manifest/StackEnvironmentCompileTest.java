package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.ManifestError;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** stack.environment and stack.secret_environment, checked as a manifest is applied. */
class StackEnvironmentCompileTest {

  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  private static String stack(String lines) {
    return """
        application: shop
        environment: production
        stack:
          git: {url: "https://git.example.com/shop.git", ref: main}
          web: {wsgi: shop.wsgi}
          site: {domains: [shop.example.com]}
          database: {}
          redis: {}
        """
        + lines;
  }

  /** Field → reason of every mistake. */
  private Map<String, String> errors(String yaml) {
    CompileResult result = compiler.compile(yaml, "shop.yaml");
    assertThat(result.ok()).as("expected errors").isFalse();
    return result.errors().stream()
        .collect(Collectors.toMap(ManifestError::getField, ManifestError::getReason));
  }

  @Test
  void valuesWithQuotesBackslashesAndDollars_areAccepted() {
    CompileResult result =
        compiler.compile(
            stack(
                """
                  environment:
                    GREETING: 'say "hi", C:\\dir\\ and $HOME ${X} # ;'
                  secret_environment:
                    DJANGO_SECRET_KEY: {secret: django-secret-key, generate: true}
                """),
            "shop.yaml");

    assertThat(result.errors()).isEmpty();
  }

  @Test
  void badNamesReservedNamesAndBadValues_areRefusedWithFieldAndReason() {
    Map<String, String> errors =
        errors(
            stack(
                """
                  environment:
                    "1X": a
                    "A-B": a
                    PATH: /bin
                    DATABASE_URL: postgresql://elsewhere
                    PULLEY_INSTANCE: x
                    UWSGI_SOCKET: /tmp/s
                    NOTIFY_SOCKET: /tmp/n
                    BREAK: "a\\nb"
                    TAB: "a\\tb"
                    BOTH: plain
                  secret_environment:
                    REDIS_URL: {secret: r}
                    BOTH: {secret: b}
                    NONAME: {}
                    BADNAME: {secret: "bad name"}
                """));

    assertThat(errors)
        .containsOnlyKeys(
            "stack.environment[\"1X\"]",
            "stack.environment[\"A-B\"]",
            "stack.environment[\"PATH\"]",
            "stack.environment[\"DATABASE_URL\"]",
            "stack.environment[\"PULLEY_INSTANCE\"]",
            "stack.environment[\"UWSGI_SOCKET\"]",
            "stack.environment[\"NOTIFY_SOCKET\"]",
            "stack.environment[\"BREAK\"]",
            "stack.environment[\"TAB\"]",
            "stack.secret_environment[\"REDIS_URL\"]",
            "stack.secret_environment[\"BOTH\"]",
            "stack.secret_environment[\"NONAME\"].secret",
            "stack.secret_environment[\"BADNAME\"].secret");
    assertThat(errors.get("stack.environment[\"1X\"]")).contains("not starting with a digit");
    assertThat(errors.get("stack.environment[\"DATABASE_URL\"]"))
        .isEqualTo(
            "DATABASE_URL is set by the stack itself (the database section); remove it, or read"
                + " the stack's value in the application");
    assertThat(errors.get("stack.environment[\"PULLEY_INSTANCE\"]")).contains("Pulley's own");
    assertThat(errors.get("stack.environment[\"UWSGI_SOCKET\"]")).contains("read by uWSGI");
    assertThat(errors.get("stack.environment[\"BREAK\"]"))
        .contains("line break or another control character");
    assertThat(errors.get("stack.secret_environment[\"BOTH\"]"))
        .contains("also in stack.environment");
    assertThat(errors.get("stack.secret_environment[\"NONAME\"].secret"))
        .contains("a secret name is required");
  }

  @Test
  void stackSetNames_areFreeWithoutTheirPart() {
    CompileResult result =
        compiler.compile(
            """
            application: shop
            environment: production
            stack:
              git: {url: "https://git.example.com/shop.git", ref: main}
              web: {wsgi: shop.wsgi}
              site: {domains: [shop.example.com]}
              environment: {DATABASE_URL: "postgresql://db.internal/shop", REDIS_URL: x}
            """,
            "shop.yaml");

    assertThat(result.errors()).isEmpty();
  }

  @Test
  void limits_onCountAndLength() {
    StringBuilder many = new StringBuilder("  environment:\n");
    for (int i = 0; i <= StackEnvironmentChecks.MAX_VARIABLES; i++) {
      many.append("    V").append(i).append(": x\n");
    }
    assertThat(errors(stack(many.toString())).get("stack.environment"))
        .contains("101 variables together; at most 100");

    String longValue = "x".repeat(StackEnvironmentChecks.MAX_VALUE_LENGTH + 1);
    assertThat(errors(stack("  environment: {LONG: " + longValue + "}\n")))
        .containsEntry(
            "stack.environment[\"LONG\"]",
            "the value of LONG is 4097 characters long; at most 4096");
    String longName = "N".repeat(StackEnvironmentChecks.MAX_NAME_LENGTH + 1);
    assertThat(errors(stack("  environment: {" + longName + ": x}\n")).values())
        .singleElement()
        .asString()
        .contains("129 characters long; at most 128");
  }
}
