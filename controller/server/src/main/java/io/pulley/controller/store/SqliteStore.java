package io.pulley.controller.store;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.HostState;
import io.pulley.v1.Revision;
import io.pulley.v1.Rollout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link Store}: one SQLite file, {@code pulley.db}, in the controller's data
 * directory. Needs nothing installed.
 *
 * <p>Thread-safe: one connection, used under one lock. That costs no write throughput because
 * SQLite serialises writers anyway, and reads are short. Appends also take SQLite's write lock
 * (IMMEDIATE transactions), so two processes sharing the file still number revisions without gaps
 * or duplicates.
 */
public final class SqliteStore implements Store {

  /** The database's file name inside the data directory. */
  public static final String FILE_NAME = "pulley.db";

  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

  private final ReentrantLock lock = new ReentrantLock();
  private final Path file;
  private final Connection connection;
  private final SqliteRevisionTables tables;
  private final SqliteRolloutTables rollouts;
  private final SqliteSecretTables secrets;
  private final SqliteHostKeyTables hostKeys;
  private final SqliteCommandTables commands;
  private final SqliteAccessStore access;
  private boolean closed;

  private SqliteStore(Path file, Connection connection, SqliteSecretTables secrets) {
    this.file = file;
    this.connection = connection;
    this.tables = new SqliteRevisionTables(connection);
    this.rollouts = new SqliteRolloutTables(connection);
    this.secrets = secrets;
    this.hostKeys = new SqliteHostKeyTables(connection);
    this.commands = new SqliteCommandTables(connection);
    this.access = new SqliteAccessStore(connection, this::locked);
  }

  /** Tokens, enrolments and admins, in the same file. */
  public AccessStore access() {
    return access;
  }

  /** {@link #open(Path, Path)} with the key in {@code dataDir/keys/secrets.key}. */
  public static SqliteStore open(Path dataDir) {
    return open(dataDir, defaultSecretsKey(dataDir));
  }

  /** Where the secrets key is when nothing else is said: beside the database, not inside it. */
  public static Path defaultSecretsKey(Path dataDir) {
    return dataDir.resolve("keys").resolve("secrets.key");
  }

  /**
   * Opens (creating if needed) {@code dataDir/pulley.db} and migrates it to the current schema.
   * Secret values are sealed with the key in {@code secretsKey}, which is created if missing while
   * the store holds no secret.
   *
   * @throws StoreException if the directory or the database cannot be opened, the database was
   *     written by a newer Pulley, or the secrets key is missing or wrong for the stored secrets
   */
  public static SqliteStore open(Path dataDir, Path secretsKey) {
    Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StoreException("cannot create data directory " + dataDir, e);
    }
    Connection connection = null;
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + file);
      SqliteConnections.configure(connection, file);
      // Before any key is made: a database from a newer Pulley is refused as it is.
      SqliteSchema.rejectNewer(SqliteSchema.userVersion(connection), file);
      SecretCipher cipher =
          new SecretCipher(
              SecretsKeyFile.load(secretsKey, sealedSecrets(connection)), new SecureRandom());
      SqliteSchema.migrate(connection, file, cipher);
      SqliteSecretTables secretTables = new SqliteSecretTables(connection, cipher);
      secretTables.checkKey();
      log.info("store opened file={} schemaVersion={}", file, SqliteSchema.CURRENT_VERSION);
      return new SqliteStore(file, connection, secretTables);
    } catch (SQLException | RuntimeException e) {
      SqliteConnections.closeQuietly(connection, e);
      if (e instanceof StoreException) {
        throw (StoreException) e;
      }
      throw new StoreException("cannot open database " + file, e);
    }
  }

  /** How many sealed secrets the store holds: none before the schema that seals them. */
  private static int sealedSecrets(Connection connection) throws SQLException {
    return SqliteSchema.userVersion(connection) >= SqliteSchema.SEALED_SECRETS
        ? SqliteSecretTables.count(connection)
        : 0;
  }

  @Override
  public Revision appendRevision(Revision revision) {
    AppEnv app = AppEnv.of(revision);
    StoreNames.require(app);
    return locked(
        "append revision of " + app,
        () -> SqliteTransaction.immediate(connection, () -> tables.insertNext(revision)));
  }

  @Override
  public Optional<Revision> currentRevision(AppEnv app) {
    return listRevisions(app, 1).stream().findFirst();
  }

  @Override
  public Optional<Revision> revision(AppEnv app, long number) {
    return locked("read revision " + number + " of " + app, () -> tables.revision(app, number));
  }

  @Override
  public List<Revision> listRevisions(AppEnv app, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return locked("list revisions of " + app, () -> tables.newestRevisions(app, limit));
  }

  @Override
  public List<Revision> currentRevisions() {
    return locked("list current revisions", tables::currentRevisions);
  }

  @Override
  public void putHost(HostState host) {
    putHosts(List.of(host));
  }

  /** One transaction for the batch: a thousand hosts cost one fsync, not a thousand. */
  @Override
  public void putHosts(List<HostState> hosts) {
    for (HostState host : hosts) {
      StoreNames.require("host_id", host.getHostId());
    }
    locked(
        hosts.size() == 1
            ? "put host " + hosts.get(0).getHostId()
            : "put " + hosts.size() + " hosts",
        () -> SqliteTransaction.immediate(connection, () -> tables.putHosts(hosts)));
  }

  @Override
  public Optional<HostState> host(String hostId) {
    return locked("read host " + hostId, () -> tables.host(hostId));
  }

  @Override
  public List<HostState> hosts() {
    return locked("list hosts", tables::hosts);
  }

  @Override
  public Map<String, String> secrets(AppEnv app) {
    return locked("read secrets of " + app, () -> secrets.values(app));
  }

  @Override
  public List<SecretEntry> secretEntries(AppEnv app) {
    return locked("read secret names of " + app, () -> secrets.entries(app));
  }

  @Override
  public boolean putSecretIfAbsent(AppEnv app, String name, String value, Instant generatedAt) {
    SecretEntry entry = new SecretEntry(name, true, generatedAt, SecretEntry.CONTROLLER);
    requireSecretKey(app, name);
    // The operation names the secret, never its value: it goes into error messages.
    return locked(
        "store secret " + name + " of " + app,
        () -> secrets.insert("INSERT OR IGNORE", app, entry, value));
  }

  @Override
  public boolean putSecret(AppEnv app, String name, String value, Instant setAt, String setBy) {
    SecretEntry entry = new SecretEntry(name, false, setAt, setBy);
    requireSecretKey(app, name);
    return locked(
        "store secret " + name + " of " + app,
        () ->
            SqliteTransaction.immediate(
                connection,
                () -> {
                  boolean existed = secrets.exists(app, name);
                  secrets.insert("INSERT OR REPLACE", app, entry, value);
                  return !existed;
                }));
  }

  private static void requireSecretKey(AppEnv app, String name) {
    StoreNames.require(app);
    StoreNames.require("secret name", name);
  }

  @Override
  public void putRollout(Rollout rollout) {
    AppEnv app = AppEnv.of(rollout);
    StoreNames.require(app);
    locked(
        "put rollout of " + app,
        () -> {
          rollouts.putRollout(rollout);
          return null;
        });
  }

  @Override
  public List<Rollout> latestRollouts() {
    return locked("list rollouts", rollouts::latestRollouts);
  }

  @Override
  public List<Rollout> rollouts(AppEnv app, long fromRevision) {
    return locked("list rollouts of " + app, () -> rollouts.rollouts(app, fromRevision));
  }

  @Override
  public void appendEvent(AuditEvent event) {
    StoreNames.requireOwner(event);
    locked(
        "append event of " + event.getApplication() + "/" + event.getEnvironment(),
        () -> {
          rollouts.appendEvent(event);
          return null;
        });
  }

  @Override
  public List<AuditEvent> events(AppEnv app, int limit) {
    return locked("read events of " + app, () -> rollouts.events(app, limit));
  }

  @Override
  public void quarantine(AppEnv app, Release release, Instant at) {
    StoreNames.require(app);
    locked(
        "quarantine " + release.ref() + " of " + app,
        () -> {
          rollouts.quarantine(app, release, at);
          return null;
        });
  }

  @Override
  public Set<Release> quarantined(AppEnv app) {
    return locked("read quarantine of " + app, () -> rollouts.quarantined(app));
  }

  @Override
  public Optional<String> sshHostKey(String hostPort) {
    return locked("read the host key of " + hostPort, () -> hostKeys.find(hostPort));
  }

  @Override
  public void putSshHostKey(String hostPort, String key, Instant at) {
    locked("store the host key of " + hostPort, () -> hostKeys.put(hostPort, key, at));
  }

  @Override
  public boolean recordCommandDone(CommandDone done) {
    StoreNames.require(done.app());
    StoreNames.require("resource_id", done.resourceId());
    return locked("record " + done.resourceId() + " done", () -> commands.insert(done));
  }

  @Override
  public List<CommandDone> commandsDone() {
    return locked("list the commands done", commands::all);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      connection.close();
      log.info("store closed file={}", file);
    } catch (SQLException e) {
      throw new StoreException("cannot close database " + file, e);
    } finally {
      lock.unlock();
    }
  }

  private <T> T locked(String operation, SqliteTransaction.SqlWork<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("store " + file + " is closed");
      }
      return work.run();
    } catch (SQLException e) {
      throw new StoreException("cannot " + operation + " in " + file + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}
