package io.pulley.controller.secrets;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.RemoteAccess;
import io.pulley.controller.store.SecretEntry;
import io.pulley.controller.store.Store;
import io.pulley.v1.Manifest;
import io.pulley.v1.ManifestError;
import io.pulley.v1.StackSecretVariable;
import io.pulley.wire.EnvironmentFileFormat;
import io.pulley.wire.OneLineValue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the applications' secrets in the store: generates the missing ones a manifest uses, names
 * the deploy keys an admin still has to set, and hands a plan the secrets its resources use. Values
 * never leave through a log line or an error. Admins set the secrets that cannot be generated
 * (deploy keys) or replace generated ones. Thread-safe if its {@link Random} is (a {@link
 * java.security.SecureRandom} is); generating is idempotent, setting the same value again too.
 */
public final class SecretKeeper {

  /** Random bytes in a generated secret. */
  public static final int SECRET_BYTES = 32;

  private static final Logger log = LoggerFactory.getLogger(SecretKeeper.class);

  private final Store store;
  private final Random random;
  private final Clock clock;
  private final AuditTrail audit;
  private final TrustedHostKeys hostKeys;

  /** A keeper whose audit entries are counted nowhere. */
  public SecretKeeper(Store store, Random random, Clock clock) {
    this(store, random, clock, new AuditTrail(store, clock));
  }

  public SecretKeeper(Store store, Random random, Clock clock, AuditTrail audit) {
    this.store = Objects.requireNonNull(store, "store");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.hostKeys = new TrustedHostKeys(store, clock, audit);
  }

  /**
   * What the manifest compiler reads to reach private Git remotes: the applications' stored secrets
   * and the SSH host keys the controller trusts.
   */
  public RemoteAccess remoteAccess() {
    return new RemoteAccess() {
      @Override
      public Optional<String> secret(AppEnv app, String name) {
        return Optional.ofNullable(store.secrets(app).get(name));
      }

      @Override
      public Optional<String> trustedHostKey(String hostPort) {
        return hostKeys.find(hostPort);
      }
    };
  }

  /**
   * Trusts from now on the SSH host keys the remotes of {@code manifest}, just stored as revision
   * {@code revision}, were read with; the trail shows each new one's fingerprint.
   */
  public void trustHostKeys(Manifest manifest, long revision) {
    hostKeys.remember(manifest, revision);
  }

  /**
   * For each SSH server whose host key {@code manifest} would make trusted (a first use, or a
   * pinned key replacing the trusted one): a sentence with the fingerprint and how to check it.
   */
  public List<String> hostKeyNotices(Manifest manifest) {
    return hostKeys.notices(manifest);
  }

  /**
   * Stores a value an admin set, replacing any generated or earlier one, after checking the names
   * and the value. Logs and audits who set it, never the value.
   */
  public SetSecretResult set(AppEnv app, String name, String value, String actor) {
    Optional<SetSecretResult.Invalid> invalid = SecretInput.check(app, name, value);
    if (invalid.isPresent()) {
      return invalid.get();
    }
    boolean created = store.putSecret(app, name, value, clock.instant(), actor);
    log.info("secret {} of {} set by {} ({})", name, app, actor, created ? "created" : "replaced");
    // The trail names the secret, never its value.
    audit.record(app, 0, "secret", actor, (created ? "set secret " : "replaced secret ") + name);
    return new SetSecretResult.Stored(created);
  }

  /** The mistake in naming an application and environment, if any, checked as a manifest is. */
  public Optional<SetSecretResult.Invalid> checkOwner(AppEnv app) {
    return SecretInput.checkOwner(app);
  }

  /** Names, sources and times of an application's secrets, ordered by name; never values. */
  public List<SecretEntry> entries(AppEnv app) {
    return store.secretEntries(app);
  }

  /**
   * The secrets {@code manifest} uses that the controller may not generate and the store lacks, as
   * manifest errors: a deploy key or an access token for a Git remote, or a secret an environment
   * variable names without {@code generate}. The admin has to set them first. A stored secret that
   * an environment variable names must also fit on one line there.
   */
  public List<ManifestError> missingSecrets(Manifest manifest) {
    Map<String, String> known = store.secrets(AppEnv.of(manifest));
    SecretReferences references = SecretReferences.of(manifest);
    List<ManifestError> errors = new ArrayList<>();
    for (Map.Entry<String, String> key : references.deployKeys().entrySet()) {
      if (!known.containsKey(key.getKey())) {
        errors.add(
            key.getValue().endsWith(".token_secret")
                ? error(key.getValue(), "token secret", key.getKey(), manifest, "TOKEN_FILE", "")
                : error(
                    key.getValue(), "deploy key secret", key.getKey(), manifest, "KEY_FILE", ""));
      }
    }
    for (Map.Entry<String, String> secret : references.setByAdmin().entrySet()) {
      if (!known.containsKey(secret.getKey())) {
        errors.add(
            error(
                secret.getValue(),
                "secret",
                secret.getKey(),
                manifest,
                "VALUE_FILE",
                secret.getValue().startsWith("stack.secret_environment")
                    ? ", or add \"generate: true\" to let the controller make a random one"
                    : ""));
      }
    }
    for (Map.Entry<String, StackSecretVariable> variable :
        manifest.getStack().getSecretEnvironmentMap().entrySet()) {
      String value = known.get(variable.getValue().getSecret());
      Optional<String> problem =
          value == null ? Optional.empty() : EnvironmentFileFormat.valueProblem(value);
      if (problem.isPresent()) {
        errors.add(
            ManifestError.newBuilder()
                .setField("stack.secret_environment[\"" + variable.getKey() + "\"].secret")
                .setReason(
                    "secret \""
                        + variable.getValue().getSecret()
                        + "\" cannot be an environment variable: "
                        + problem.get()
                        + "; set it anew as one line")
                .build());
      }
    }
    String relayPassword = manifest.getStack().getMail().getPasswordSecret();
    Optional<String> unfit =
        Optional.ofNullable(known.get(relayPassword)).flatMap(OneLineValue::problem);
    if (manifest.hasStack() && !relayPassword.isEmpty() && unfit.isPresent()) {
      errors.add(
          ManifestError.newBuilder()
              .setField("stack.mail.password_secret")
              .setReason(
                  "secret \""
                      + relayPassword
                      + "\" cannot be the relay's password: "
                      + unfit.get()
                      + "; set it anew as one line")
              .build());
    }
    return errors;
  }

  private static ManifestError error(
      String field, String what, String name, Manifest manifest, String file, String tail) {
    return ManifestError.newBuilder()
        .setField(field)
        .setReason(
            what
                + " \""
                + name
                + "\" is not set; set it first with `pulley secret set "
                + manifest.getApplication()
                + " "
                + manifest.getEnvironment()
                + " "
                + name
                + " < "
                + file
                + "`"
                + tail)
        .build();
  }

  /** Generates every secret {@code manifest} uses that does not exist yet; returns their names. */
  public List<String> generateMissing(Manifest manifest) {
    AppEnv app = AppEnv.of(manifest);
    Map<String, String> known = store.secrets(app);
    List<String> made = new ArrayList<>();
    for (String name : SecretReferences.of(manifest).generated()) {
      if (!known.containsKey(name)
          && store.putSecretIfAbsent(app, name, newValue(), clock.instant())) {
        made.add(name);
        audit.record(app, 0, "secret", SecretEntry.CONTROLLER, "generated secret " + name);
      }
    }
    return made;
  }

  /** The stored secrets {@code manifest}'s resources use, by name; missing ones are left out. */
  public Map<String, String> forPlan(Manifest manifest) {
    Map<String, String> known = store.secrets(AppEnv.of(manifest));
    Map<String, String> used = new TreeMap<>();
    for (String name : SecretReferences.of(manifest).all()) {
      String value = known.get(name);
      if (value != null) {
        used.put(name, value);
      }
    }
    return used;
  }

  /**
   * A new secret: 32 random bytes as URL-safe base64 without padding, so it needs no escaping in a
   * postgresql:// URL, an INI file or a shell-free argument list.
   */
  String newValue() {
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
