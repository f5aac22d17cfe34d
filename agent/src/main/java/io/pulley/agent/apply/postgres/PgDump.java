package io.pulley.agent.apply.postgres;

import io.pulley.agent.apply.process.ProgramRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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
    Map<String, String> all = new LinkedHashMap<>();
    all.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    all.put("LANG", "C.UTF-8");
    all.putAll(libpqEnv);
    this.env = Map.copyOf(all);
  }

  @Override
  public ProgramRunner.Result dump(String database, Path into, Duration timeout)
      throws InterruptedException {
    // "/" as working directory: the postgres user may not enter the agent's.
    return runner.runToFile(
        List.of(
            "runuser",
            "-u",
            "postgres",
            "--",
            "pg_dump",
            "--format=custom",
            "--no-password",
            "--dbname=" + database),
        Path.of("/"),
        env,
        into,
        timeout);
  }
}
