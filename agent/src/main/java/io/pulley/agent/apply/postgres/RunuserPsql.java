package io.pulley.agent.apply.postgres;

import io.pulley.agent.apply.process.ProgramRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real {@link Psql}: {@code runuser -u postgres -- psql} over the server's Unix socket with
 * peer authentication, so the agent needs no database password of its own. Thread-safe.
 */
final class RunuserPsql implements Psql {
  static final List<String> ARGV =
      AsPostgres.argv("psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", "postgres");
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final ProgramRunner runner = new ProgramRunner();
  private final Map<String, String> env;

  /** The host's server at its default socket. */
  RunuserPsql() {
    this(Map.of());
  }

  /** With {@code libpqEnv} (such as PGHOST) added to the environment, for a server elsewhere. */
  RunuserPsql(Map<String, String> libpqEnv) {
    this.env = AsPostgres.env(libpqEnv);
  }

  @Override
  public ProgramRunner.Result run(String script) throws InterruptedException {
    // "/" as working directory: the postgres user may not enter the agent's.
    return runner.run(ARGV, Path.of("/"), env, script.getBytes(StandardCharsets.UTF_8), TIMEOUT);
  }
}
