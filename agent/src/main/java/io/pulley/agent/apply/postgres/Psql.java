package io.pulley.agent.apply.postgres;

import io.pulley.agent.apply.process.ProgramRunner;

/**
 * Runs a psql script against the host's PostgreSQL server as its superuser, connected first to the
 * {@code postgres} database, stopping at the first error. Unaligned, tuples-only output. The script
 * travels on standard input only. Implementations are thread-safe.
 */
interface Psql {
  ProgramRunner.Result run(String script) throws InterruptedException;
}
