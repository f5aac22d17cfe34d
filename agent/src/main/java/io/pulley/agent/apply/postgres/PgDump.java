package io.pulley.agent.apply.postgres;

import io.pulley.agent.apply.process.ProgramRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real {@link DumpExecutor.Dumper}: {@code runuser -u postgres -- pg_dump --format=custom} over
 * the server's Unix socket with peer authentication (no password anywhere), its output written
 * straight into the file. Thread-safe.
 */
final class PgDump implements DumpExecutor.Dumper {
  private final ProgramRunner runner = new ProgramRunner();
  private final Map<String, String> env;

  /**
   * @param libpqEnv added to the environment (such as PGHOST), for a server elsewhere than the
   *     default socket; empty for the host's own
   */
  PgDump(Map<String, String> libpqEnv) {
    this.env = AsPostgres.env(libpqEnv);
  }

  @Override
  public ProgramRunner.Result dump(String database, Path into, Duration timeout)
      throws InterruptedException {
    // "/" as working directory: the postgres user may not enter the agent's.
    return runner.runToFile(
        AsPostgres.argv("pg_dump", "--format=custom", "--no-password", "--dbname=" + database),
        Path.of("/"),
        env,
        into,
        timeout);
  }
}
