package io.pulley.controller.stack;

import io.pulley.v1.Stack;
import io.pulley.v1.StackRedis;
import java.util.Map;
import java.util.TreeMap;

/**
 * The application's settings, ROOT/shared/config/settings.ini: an [app:main] section with the
 * database and Redis URLs and the stack's settings. Secret values appear only as {@code
 * ${secret:NAME}}, which the agent fills in on the host. Stateless.
 */
final class SettingsIni {

  private SettingsIni() {}

  static String render(StackLayout layout, Stack stack) {
    StringBuilder ini = new StringBuilder(layout.header("#"));
    ini.append("[app:main]\n");
    line(ini, "use", stack.getSettings().getUse());
    if (stack.hasDatabase()) {
      String db = layout.databaseName();
      line(
          ini,
          "sqlalchemy.url",
          "postgresql://%1$s:${secret:%2$s}@127.0.0.1:5432/%1$s"
              .formatted(db, StackLayout.DATABASE_PASSWORD_SECRET));
    }
    if (stack.hasRedis()) {
      StackRedis redis = stack.getRedis();
      line(ini, "redis.url", StackEnvironment.redisUrl(redis.getCacheDb()));
      if (stack.hasCelery()) {
        line(ini, "celery.broker_url", StackEnvironment.redisUrl(redis.getBrokerDb()));
      }
    }
    for (Map.Entry<String, String> value :
        new TreeMap<>(stack.getSettings().getValuesMap()).entrySet()) {
      line(ini, value.getKey(), value.getValue());
    }
    for (String secret : stack.getSettings().getSecretsList()) {
      line(ini, secret, "${secret:" + secret + "}");
    }
    return ini.toString();
  }

  private static void line(StringBuilder ini, String key, String value) {
    ini.append(key).append(" = ").append(value).append('\n');
  }
}
