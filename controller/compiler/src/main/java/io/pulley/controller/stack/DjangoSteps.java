package io.pulley.controller.stack;

import io.pulley.v1.Stack;
import io.pulley.v1.StackCommand;
import io.pulley.v1.StackDjango;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a stack's {@code django} section adds: the settings module and the static root in the
 * environment of every process, {@code manage.py migrate} and {@code collectstatic} as release
 * steps before the manifest's own commands, and the directory the collected files go to. Written
 * out as ordinary commands, so that the plan shows exactly what runs. Stateless.
 */
public final class DjangoSteps {
  /** The release steps' names; the manifest's own commands cannot take them. */
  public static final String MIGRATE = "django-migrate";

  public static final String COLLECTSTATIC = "django-collectstatic";

  /** The environment variables the section sets; the manifest cannot set them again. */
  public static final List<String> VARIABLES =
      List.of("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOWED_HOSTS", "STATIC_ROOT");

  static final String DEFAULT_MANAGE = "manage.py";

  private DjangoSteps() {}

  /** The variables of the stack's processes: empty without a django section. */
  static Map<String, String> environment(StackLayout layout, Stack stack) {
    Map<String, String> environment = new TreeMap<>();
    if (!stack.hasDjango()) {
      return environment;
    }
    environment.put("DJANGO_SETTINGS_MODULE", stack.getDjango().getSettings());
    environment.put("DJANGO_ALLOWED_HOSTS", allowedHosts(stack.getSite().getDomainsList()));
    if (stack.getDjango().getCollectstatic()) {
      environment.put("STATIC_ROOT", staticRoot(layout));
    }
    return environment;
  }

  /** The commands the section adds, in the order they run, before the manifest's own. */
  static List<StackCommand> commands(Stack stack) {
    List<StackCommand> commands = new ArrayList<>();
    if (!stack.hasDjango()) {
      return commands;
    }
    StackDjango django = stack.getDjango();
    String manage = django.getManage().isEmpty() ? DEFAULT_MANAGE : django.getManage();
    if (django.getMigrate()) {
      // Once per environment: the schema is shared by every host of the environment.
      commands.add(command(MIGRATE, manage, "migrate").setOncePerEnvironment(true).build());
    }
    if (django.getCollectstatic()) {
      commands.add(command(COLLECTSTATIC, manage, "collectstatic").build());
    }
    return commands;
  }

  /** Where collectstatic writes and nginx reads: outside the root-owned, read-only release. */
  static String staticRoot(StackLayout layout) {
    return layout.sharedDir("static");
  }

  /** True when nginx serves the collected files under the site's static URL. */
  public static boolean servesStatic(Stack stack) {
    return stack.hasDjango() && stack.getDjango().getCollectstatic();
  }

  private static StackCommand.Builder command(String name, String manage, String subcommand) {
    return StackCommand.newBuilder()
        .setName(name)
        .addArgv("python")
        .addArgv(manage)
        .addArgv(subcommand)
        .addArgv("--noinput")
        .setTimeoutSeconds(StackDefaults.COMMAND_TIMEOUT_SECONDS);
  }

  /** Django's spelling of the site's names: a wildcard "*.example.com" is ".example.com". */
  private static String allowedHosts(List<String> domains) {
    List<String> hosts = new ArrayList<>();
    for (String domain : domains) {
      hosts.add(domain.startsWith("*.") ? domain.substring(1) : domain);
    }
    return String.join(",", hosts);
  }
}
