package io.pulley.agent.apply.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The psql scripts for a database: one that inspects, and the plan of changes that converges it.
 * Names and the verifier reach SQL only as psql variables ({@code :"name"}, {@code :'value'}),
 * which psql quotes. Stateless.
 */
final class DatabaseScripts {
  private DatabaseScripts() {}

  /** The changes to make, described, and the script making them; no changes, empty script. */
  record Plan(List<String> changes, String script) {
    boolean isEmpty() {
      return changes.isEmpty();
    }
  }

  static String inspect(String database, String role) {
    return set("db", database)
        + set("role", role)
        + "SELECT 'role', rolcanlogin, coalesce(rolpassword, '') FROM pg_authid"
        + " WHERE rolname = :'role';\n"
        + "SELECT 'database', pg_get_userbyid(datdba) FROM pg_database WHERE datname = :'db';\n"
        + "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db' AND datallowconn)"
        + " AS db_exists \\gset\n"
        + "\\if :db_exists\n"
        + "\\connect :\"db\"\n"
        + "SELECT 'extension', extname FROM pg_extension;\n"
        + "\\endif\n";
  }

  /**
   * What turns {@code state} into the declared database; a new verifier (fresh salt from {@code
   * random}) only when the stored one does not match {@code password}.
   */
  static Plan plan(
      String database,
      String role,
      String password,
      List<String> extensions,
      DatabaseState state,
      Random random) {
    List<String> changes = new ArrayList<>();
    StringBuilder sql = new StringBuilder(set("db", database)).append(set("role", role));
    boolean passwordOk =
        ScramVerifier.parse(state.verifier()).map(v -> v.matches(password)).orElse(false);
    if (!state.roleExists() || !passwordOk) {
      sql.append(set("verifier", ScramVerifier.generate(password, random).text()));
    }
    if (!state.roleExists()) {
      changes.add("role " + role + " created");
      sql.append("CREATE ROLE :\"role\" LOGIN PASSWORD :'verifier';\n");
    } else {
      if (!state.roleCanLogin()) {
        changes.add("role " + role + " may log in");
        sql.append("ALTER ROLE :\"role\" LOGIN;\n");
      }
      if (!passwordOk) {
        changes.add("password of " + role + " set");
        sql.append("ALTER ROLE :\"role\" PASSWORD :'verifier';\n");
      }
    }
    if (state.databaseOwner().isEmpty()) {
      changes.add("database " + database + " created");
      sql.append("CREATE DATABASE :\"db\" OWNER :\"role\";\n");
    } else if (!state.databaseOwner().get().equals(role)) {
      changes.add("owner of " + database + " set to " + role);
      sql.append("ALTER DATABASE :\"db\" OWNER TO :\"role\";\n");
    }
    List<String> missing =
        extensions.stream().filter(e -> !state.extensions().contains(e)).distinct().toList();
    if (!missing.isEmpty()) {
      sql.append("\\connect :\"db\"\n");
      for (int i = 0; i < missing.size(); i++) {
        changes.add("extension " + missing.get(i) + " created");
        sql.append(set("ext" + i, missing.get(i)))
            .append("CREATE EXTENSION IF NOT EXISTS :\"ext")
            .append(i)
            .append("\";\n");
      }
    }
    return new Plan(List.copyOf(changes), changes.isEmpty() ? "" : sql.toString());
  }

  /** psql's \set with a single-quoted value: quotes doubled, backslashes escaped. */
  static String set(String variable, String value) {
    return "\\set " + variable + " '" + value.replace("\\", "\\\\").replace("'", "''") + "'\n";
  }
}
