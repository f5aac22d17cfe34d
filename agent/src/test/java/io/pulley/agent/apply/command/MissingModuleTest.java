package io.pulley.agent.apply.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MissingModuleTest {

  @Test
  void aMissingModule_namesTheUsualDebianPackage() {
    String output =
        "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\n"
            + "ModuleNotFoundError: No module named 'flask_sqlalchemy.model'\n";

    assertThat(MissingModule.hint(output))
        .hasValueSatisfying(
            hint ->
                assertThat(hint)
                    .contains("Python cannot import flask_sqlalchemy")
                    .contains("python3-flask-sqlalchemy")
                    .contains("stack.packages"));
  }

  @Test
  void otherFailures_orOddNames_getNoHint() {
    assertThat(MissingModule.hint("ImportError: cannot import name 'x' from 'y'")).isEmpty();
    assertThat(MissingModule.hint("No module named 'a b; rm'")).isEmpty();
    assertThat(MissingModule.hint("No module named 'unterminated")).isEmpty();
    assertThat(MissingModule.hint("No module named '" + "a".repeat(200) + "'")).isEmpty();
  }
}
