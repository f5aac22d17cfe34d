package io.pulley.agent.apply.postgres;

import com.google.re2j.Pattern;
import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.apply.SecretScrubber;
import io.pulley.agent.apply.process.ProgramRunner;
import io.pulley.v1.lite.Database;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Converges a PostgreSQL role, the database it owns and the database's extensions. It inspects
 * first and changes only what differs, so a second apply is UNCHANGED; the password is sent only as
 * a SCRAM verifier, and only when the stored one does not match the secret. One apply at a time;
 * not thread-safe.
 */
public final class DatabaseExecutor implements ResourceExecutor<Database> {
  /** Names Pulley accepts: unquoted-looking identifiers, at most PostgreSQL's 63 bytes. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]{0,62}");

  private static final Pattern EXTENSION = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,62}");

  private final Psql psql;
  private final Random random;

  public DatabaseExecutor() {
    this(new RunuserPsql(), new SecureRandom());
  }

  DatabaseExecutor(Psql psql, Random random) {
    this.psql = psql;
    this.random = random;
  }

  @Override
  public Convergence converge(Database spec, ApplyContext context) {
    String role = spec.getOwner().isEmpty() ? spec.getName() : spec.getOwner();
    Optional<String> invalid = invalid(spec, role);
    if (invalid.isPresent()) {
      return Convergence.failed(invalid.get());
    }
    Optional<String> password = context.secret(spec.getPasswordSecret());
    if (password.isEmpty() || password.get().isEmpty()) {
      return Convergence.failed("secret '" + spec.getPasswordSecret() + "' is missing or empty");
    }
    try {
      ProgramRunner.Result inspected = psql.run(DatabaseScripts.inspect(spec.getName(), role));
      if (!inspected.succeeded()) {
        return failed("inspecting PostgreSQL", inspected, context, List.of());
      }
      DatabaseState state = DatabaseState.parse(inspected.stdout());
      DatabaseScripts.Plan plan =
          DatabaseScripts.plan(
              spec.getName(), role, password.get(), spec.getExtensionsList(), state, random);
      if (plan.isEmpty()) {
        return Convergence.unchanged("role, database and extensions as declared");
      }
      ProgramRunner.Result applied = psql.run(plan.script());
      if (!applied.succeeded()) {
        return failed(
            String.join(", ", plan.changes()), applied, context, verifiers(plan.script()));
      }
      return Convergence.changed(String.join(", ", plan.changes()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Convergence.failed("interrupted while talking to PostgreSQL");
    }
  }

  /** FAILED with psql's output, scrubbed of the secrets and of the verifier we sent. */
  private static Convergence failed(
      String what, ProgramRunner.Result run, ApplyContext context, List<String> extra) {
    List<String> hidden = new ArrayList<>(context.secrets().values());
    hidden.addAll(extra);
    return Convergence.failed(what + " failed: " + run.failure())
        .withOutputTail(SecretScrubber.scrub(run.outputTail(), hidden));
  }

  /** The verifier in a plan's script, so psql's echo of a failed statement cannot leak it. */
  private static List<String> verifiers(String script) {
    return script
        .lines()
        .filter(l -> l.startsWith("\\set verifier '"))
        .map(l -> l.substring("\\set verifier '".length(), l.length() - 1))
        .toList();
  }

  private static Optional<String> invalid(Database spec, String role) {
    if (!NAME.matcher(spec.getName()).matches()) {
      return Optional.of("database name '" + spec.getName() + "' is not a plain identifier");
    }
    if (!NAME.matcher(role).matches()) {
      return Optional.of("owner '" + role + "' is not a plain identifier");
    }
    if (spec.getPasswordSecret().isEmpty()) {
      return Optional.of("password_secret is empty");
    }
    for (String extension : spec.getExtensionsList()) {
      if (!EXTENSION.matcher(extension).matches()) {
        return Optional.of("extension '" + extension + "' is not a plain extension name");
      }
    }
    return Optional.empty();
  }
}
