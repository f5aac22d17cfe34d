package io.pulley.controller.store;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.HostState;
import io.pulley.v1.Revision;
import io.pulley.v1.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The controller's durable state: revisions of every application and environment, their secrets,
 * the host registry, rollouts, the audit trail, quarantined releases, Git servers' SSH host keys
 * and the commands done once in an environment. Implementations are thread-safe. A method that
 * returns has made its write durable: it survives kill -9 of the controller.
 */
public interface Store extends AutoCloseable {

  /**
   * Stores {@code revision} as the next revision of its application and environment. The number in
   * the argument is ignored; the stored revision, with its number, is returned. Numbers count from
   * 1 without gaps, even when several callers append at once.
   */
  Revision appendRevision(Revision revision);

  /** The newest revision of an application in an environment. */
  Optional<Revision> currentRevision(AppEnv app);

  /** One revision by number. */
  Optional<Revision> revision(AppEnv app, long number);

  /** Up to {@code limit} revisions, newest first. */
  List<Revision> listRevisions(AppEnv app, int limit);

  /** The newest revision of every application and environment, ordered by both names. */
  List<Revision> currentRevisions();

  /** Inserts or replaces a host's record, keyed by its host id. */
  void putHost(HostState host);

  /** Inserts or replaces several hosts' records, as one transaction where the store has them. */
  default void putHosts(List<HostState> hosts) {
    for (HostState host : hosts) {
      putHost(host);
    }
  }

  /** One host's record. */
  Optional<HostState> host(String hostId);

  /** Every host's record, ordered by host id. */
  List<HostState> hosts();

  /** The secrets of an application in an environment, by name, ordered by name. */
  Map<String, String> secrets(AppEnv app);

  /** What may be shown about the secrets of an application in an environment, ordered by name. */
  List<SecretEntry> secretEntries(AppEnv app);

  /**
   * Stores a value the controller generated, unless the application and environment already have a
   * secret of that name.
   *
   * @return true if it was stored, false if one existed (which is left as it is)
   */
  boolean putSecretIfAbsent(AppEnv app, String name, String value, Instant generatedAt);

  /**
   * Inserts or replaces a secret an admin set, recording when and by whom.
   *
   * @return true if the secret did not exist before
   */
  boolean putSecret(AppEnv app, String name, String value, Instant setAt, String setBy);

  /** Inserts or replaces a rollout, keyed by its application, environment and revision. */
  void putRollout(Rollout rollout);

  /** The newest rollout of every application and environment that has one. */
  List<Rollout> latestRollouts();

  /**
   * The rollouts of an application in an environment of revision {@code fromRevision} or newer,
   * newest first.
   */
  List<Rollout> rollouts(AppEnv app, long fromRevision);

  /**
   * Appends an event to the audit trail: of an application in an environment (both named), or of
   * the whole controller (both empty).
   */
  void appendEvent(AuditEvent event);

  /** Up to {@code limit} events of an application in an environment, newest first. */
  List<AuditEvent> events(AppEnv app, int limit);

  /**
   * Records that tracking must not deploy {@code ref} (a tag or branch) while it points at {@code
   * commit}.
   */
  void quarantine(AppEnv app, Release release, Instant at);

  /** The quarantined releases of an application in an environment. */
  Set<Release> quarantined(AppEnv app);

  /**
   * The SSH host key trusted for the Git server at {@code hostPort} ("host:port"), as an OpenSSH
   * public key line.
   */
  Optional<String> sshHostKey(String hostPort);

  /** Inserts or replaces the SSH host key trusted for the Git server at {@code hostPort}. */
  void putSshHostKey(String hostPort, String key, Instant at);

  /**
   * Records the first success of a command run once in an environment, ever.
   *
   * @return true if it was recorded, false if its application, environment and resource id had one
   *     already (which is left as it is)
   */
  boolean recordCommandDone(CommandDone done);

  /** Every recorded command success, ordered by application, environment and resource id. */
  List<CommandDone> commandsDone();

  /** Releases the store's resources; idempotent. */
  @Override
  void close();
}
