package io.pulley.agent.apply.postgres;

import io.pulley.agent.apply.process.ProgramRunner;
import java.util.Optional;

/**
 * What a database's schema is made of, in one line: its tables and columns counted, and an MD5 of
 * every column's schema, table, name and type in order ("3 tables, 12 columns, 5d41402a…"). Two
 * fingerprints differ when a migration added, dropped, renamed or retyped a table or column;
 * indexes and constraints are not in it. Taken as the postgres superuser, which sees every table.
 *
 * @param tables how many tables (and views) have columns
 * @param columns how many columns they have
 * @param digest the MD5 of their description, in hex
 */
record SchemaFingerprint(long tables, long columns, String digest) {

  /** The query: the application's schemas only, never PostgreSQL's own. */
  static final String QUERY =
      "select count(distinct (table_schema, table_name)), count(*),"
          + " md5(coalesce(string_agg(table_schema || '.' || table_name || '.' || column_name"
          + " || ':' || data_type, ',' order by table_schema, table_name, ordinal_position), ''))"
          + " from information_schema.columns"
          + " where table_schema not in ('pg_catalog', 'information_schema');";

  /**
   * Takes the fingerprint of {@code database} (a checked name) through {@code psql}; empty when
   * psql cannot tell, or when the thread is interrupted (whose flag stays set): a fingerprint only
   * informs, so nothing waits on it.
   */
  static Optional<SchemaFingerprint> of(Psql psql, String database) {
    ProgramRunner.Result result;
    try {
      result = psql.run("\\connect " + database + "\n" + QUERY + "\n");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    if (!result.succeeded()) {
      return Optional.empty();
    }
    // The row is the last line: \connect says where it connected first.
    return result
        .stdout()
        .strip()
        .lines()
        .reduce((first, second) -> second)
        .flatMap(SchemaFingerprint::parse);
  }

  /** From psql's unaligned row "3|12|5d41…", or from {@link #toString()}'s words. */
  static Optional<SchemaFingerprint> parse(String text) {
    String row = text.replace(" tables, ", "|").replace(" columns, ", "|");
    int first = row.indexOf('|');
    int second = row.indexOf('|', first + 1);
    if (first < 0 || second < 0 || row.indexOf('|', second + 1) >= 0) {
      return Optional.empty();
    }
    String digest = row.substring(second + 1);
    if (digest.length() != 32) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new SchemaFingerprint(
              Long.parseLong(row.substring(0, first)),
              Long.parseLong(row.substring(first + 1, second)),
              digest));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return tables + " tables, " + columns + " columns, " + digest;
  }

  /** "3 tables, 12 columns": what an admin reads. */
  String counts() {
    return tables + " tables, " + columns + " columns";
  }
}
