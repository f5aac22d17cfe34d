package io.pulley.controller.stack;

import io.pulley.v1.Stack;
import io.pulley.v1.StackSecretVariable;
import io.pulley.wire.EnvironmentFileFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The application's environment file, ROOT/shared/config/environment: the variables the stack sets
 * (the settings file's path, the database, cache and broker URLs), the manifest's {@code
 * environment}, and its {@code secret_environment} as {@code ${secret:NAME|env}} placeholders that
 * the agent fills in on the host. systemd reads it for uWSGI and Celery ({@code EnvironmentFile=}),
 * the agent for the stack's commands, so all of them see the same variables. Each value is written
 * by {@link EnvironmentFileFormat}, which systemd reads back exactly. Stateless.
 */
public final class StackEnvironment {

  public static final String SETTINGS = "PULLEY_SETTINGS";
  public static final String DATABASE_URL = "DATABASE_URL";
  public static final String REDIS_URL = "REDIS_URL";
  public static final String CELERY_BROKER_URL = "CELERY_BROKER_URL";

  /** The placeholder of the database password, percent-encoded, then written for the file. */
  private static final String DATABASE_PASSWORD =
      "${secret:" + StackLayout.DATABASE_PASSWORD_SECRET + "|url|env}";

  private StackEnvironment() {}

  /** The names the stack sets itself for {@code stack}: only for the parts it has. */
  public static Set<String> setByStack(Stack stack) {
    Set<String> names = new TreeSet<>(Set.of(SETTINGS));
    if (stack.hasDatabase()) {
      names.add(DATABASE_URL);
    }
    if (stack.hasRedis()) {
      names.add(REDIS_URL);
      if (stack.hasCelery()) {
        names.add(CELERY_BROKER_URL);
      }
    }
    if (stack.hasDjango()) {
      names.addAll(DjangoSteps.VARIABLES);
    }
    return names;
  }

  static String render(StackLayout layout, Stack stack) {
    Map<String, String> lines = new TreeMap<>();
    lines.put(SETTINGS, EnvironmentFileFormat.assignment(SETTINGS, layout.settingsFile()));
    if (stack.hasDatabase()) {
      String db = layout.databaseName();
      lines.put(
          DATABASE_URL,
          DATABASE_URL
              + "=\""
              + EnvironmentFileFormat.escaped("postgresql://" + db + ":")
              + DATABASE_PASSWORD
              + EnvironmentFileFormat.escaped("@127.0.0.1:5432/" + db)
              + "\"\n");
    }
    if (stack.hasRedis()) {
      lines.put(
          REDIS_URL,
          EnvironmentFileFormat.assignment(REDIS_URL, redisUrl(stack.getRedis().getCacheDb())));
      if (stack.hasCelery()) {
        lines.put(
            CELERY_BROKER_URL,
            EnvironmentFileFormat.assignment(
                CELERY_BROKER_URL, redisUrl(stack.getRedis().getBrokerDb())));
      }
    }
    for (Map.Entry<String, String> variable : DjangoSteps.environment(layout, stack).entrySet()) {
      lines.put(
          variable.getKey(),
          EnvironmentFileFormat.assignment(variable.getKey(), variable.getValue()));
    }
    for (Map.Entry<String, String> variable : stack.getEnvironmentMap().entrySet()) {
      lines.put(
          variable.getKey(),
          EnvironmentFileFormat.assignment(variable.getKey(), variable.getValue()));
    }
    for (Map.Entry<String, StackSecretVariable> variable :
        stack.getSecretEnvironmentMap().entrySet()) {
      lines.put(
          variable.getKey(),
          variable.getKey() + "=\"${secret:" + variable.getValue().getSecret() + "|env}\"\n");
    }
    StringBuilder file = new StringBuilder(layout.header("#"));
    file.append(
        "# Read by systemd for uWSGI and Celery (EnvironmentFile=), and by the agent for the"
            + " stack's commands.\n");
    lines.values().forEach(file::append);
    return file.toString();
  }

  static String redisUrl(int database) {
    return "redis://127.0.0.1:6379/" + database;
  }
}
