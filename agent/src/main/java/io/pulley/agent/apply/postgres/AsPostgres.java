package io.pulley.agent.apply.postgres;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the agent runs PostgreSQL's client programs: as the postgres user through runuser, over the
 * server's Unix socket with peer authentication, so that it needs no database password of its own,
 * in an environment of its own making. Stateless.
 */
final class AsPostgres {
  private AsPostgres() {}

  /** {@code runuser -u postgres -- PROGRAM ARGS...}. */
  static List<String> argv(String... program) {
    List<String> argv = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    argv.addAll(List.of(program));
    return List.copyOf(argv);
  }

  /** A fixed PATH and locale, and {@code libpqEnv} (such as PGHOST) for a server elsewhere. */
  static Map<String, String> env(Map<String, String> libpqEnv) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    all.put("LANG", "C.UTF-8");
    all.putAll(libpqEnv);
    return Map.copyOf(all);
  }
}
