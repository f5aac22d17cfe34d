package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.re2j.Pattern;
import io.pulley.controller.stack.DjangoSteps;
import io.pulley.v1.Stack;
import io.pulley.v1.StackDjango;

/**
 * Checks a stack's {@code django} section and what it reserves elsewhere in the stack: the names of
 * its release steps, its environment variables, and the static files' location. Not thread-safe.
 */
final class StackDjangoChecks {
  /** A dotted Python module name, as DJANGO_SETTINGS_MODULE takes it. */
  private static final Pattern MODULE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

  private final Checks checks;
  private final ConfigText text;
  private final StackValidator stackValidator;

  StackDjangoChecks(Checks checks, ConfigText text, StackValidator stackValidator) {
    this.checks = checks;
    this.text = text;
    this.stackValidator = stackValidator;
  }

  void validate(Stack stack) {
    if (!stack.hasDjango()) {
      return;
    }
    StackDjango django = stack.getDjango();
    if (django.getSettings().isEmpty()) {
      checks.fail(
          "stack.django.settings",
          "django.settings is required: the settings module, such as \"mysite.settings\"");
    } else {
      text.matches(
          "stack.django.settings",
          "settings",
          django.getSettings(),
          MODULE,
          "use a dotted Python module name, such as \"mysite.settings\"");
    }
    if (!django.getManage().isEmpty()) {
      stackValidator.relativePath("stack.django.manage", "manage", django.getManage());
    }
    if (django.getCollectstatic() && !stack.getSite().getStaticDir().isEmpty()) {
      checks.fail(
          "stack.site.static_dir",
          "django.collectstatic serves the collected files under site.static_url; remove"
              + " static_dir (or collectstatic, to serve a directory of the release instead)");
    }
    for (int i = 0; i < stack.getCommandsCount(); i++) {
      String name = stack.getCommands(i).getName();
      if (name.equals(DjangoSteps.MIGRATE) || name.equals(DjangoSteps.COLLECTSTATIC)) {
        checks.fail(
            "stack.commands[" + i + "].name",
            quote(name) + " is the django section's own step; choose another name");
      }
    }
  }
}
