package io.pulley.controller.store;

import io.pulley.v1.AdminAccount;
import io.pulley.v1.Enrolment;
import io.pulley.v1.TokenInfo;
import java.util.List;
import java.util.Optional;

/**
 * Who may reach the fleet, durably: bootstrap tokens (their secrets' hashes only), hosts'
 * enrolments, admins and admins' keys. Thread-safe; a method that returns has made its write
 * durable.
 */
public interface AccessStore {

  /** A token as stored: what may be shown, and the hash its secret must match. */
  record StoredToken(TokenInfo info, String secretHash) {}

  /** Inserts a token; its id must be new. */
  void putToken(TokenInfo token, String secretHash);

  Optional<StoredToken> token(String id);

  /** Every token, ordered by id. */
  List<TokenInfo> tokens();

  /** Forgets a token; false if there was none. */
  boolean deleteToken(String id);

  /**
   * Takes one use of token {@code tokenId} and stores {@code enrolment}, in one transaction.
   *
   * @return false, storing nothing, if the token has no use left
   */
  boolean enrolWithToken(String tokenId, Enrolment enrolment);

  /**
   * Takes one use of token {@code tokenId}, stores {@code admin} and binds {@code keyFingerprint}
   * to it, in one transaction.
   *
   * @return false, storing nothing, if the token has no use left
   */
  boolean addAdminWithToken(String tokenId, AdminAccount admin, String keyFingerprint);

  /**
   * Inserts or replaces a host's enrolment. When its key changes, the old key stays known as the
   * previous one ({@link #enrolmentByKey}), so connections made before a rotation keep working
   * until their certificate expires.
   */
  void putEnrolment(Enrolment enrolment);

  Optional<Enrolment> enrolment(String hostId);

  /** The enrolment whose current or previous key has this fingerprint. */
  Optional<Enrolment> enrolmentByKey(String fingerprint);

  /** Every enrolment, pending ones included, ordered by host id. */
  List<Enrolment> enrolments();

  /** Forgets a host: its enrolment and its host record. False if it had neither. */
  boolean removeEnrolment(String hostId);

  /** Inserts or replaces an admin account. */
  void putAdmin(AdminAccount admin);

  Optional<AdminAccount> admin(String name);

  /** Every admin, ordered by name. */
  List<AdminAccount> admins();

  /** Binds a key to an admin, replacing {@code replaced} (empty: replacing nothing). */
  void putAdminKey(String name, String fingerprint, String replaced);

  /** The admin a key belongs to. */
  Optional<String> adminOfKey(String fingerprint);
}
