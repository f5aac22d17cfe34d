package io.pulley.controller.secrets;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.SshHostKey;
import io.pulley.controller.store.Store;
import io.pulley.v1.GitRelease;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH host keys the controller trusts for Git servers, one per "host:port": the key a stored
 * revision's remote was read with, pinned in its manifest or seen on first use. A later apply that
 * does not pin a key accepts only this one. Public keys only: nothing here is secret. Thread-safe
 * as the store is.
 */
final class TrustedHostKeys {

  private static final Logger log = LoggerFactory.getLogger(TrustedHostKeys.class);

  private final Store store;
  private final Clock clock;
  private final AuditTrail audit;

  TrustedHostKeys(Store store, Clock clock, AuditTrail audit) {
    this.store = store;
    this.clock = clock;
    this.audit = audit;
  }

  Optional<String> find(String hostPort) {
    return store.sshHostKey(hostPort);
  }

  /**
   * Remembers the host keys the remotes of {@code manifest}, stored as revision {@code revision},
   * were read with (its rendered checkouts carry the stack's too), and records each new or changed
   * one in the application's trail with its fingerprint, for the admin to check.
   */
  void remember(Manifest manifest, long revision) {
    for (Map.Entry<String, String> server : changes(manifest).entrySet()) {
      Optional<String> known = store.sshHostKey(server.getKey());
      store.putSshHostKey(server.getKey(), server.getValue(), clock.instant());
      String detail = describe(server.getKey(), server.getValue(), known);
      log.info("{} ({} revision {})", detail, AppEnv.of(manifest), revision);
      audit.record(AppEnv.of(manifest), revision, "host-key", "controller", detail);
    }
  }

  /** A sentence for each host key {@link #remember} would store, saying how to check it. */
  List<String> notices(Manifest manifest) {
    List<String> notices = new ArrayList<>();
    for (Map.Entry<String, String> server : changes(manifest).entrySet()) {
      String hostPort = server.getKey();
      int colon = hostPort.lastIndexOf(':');
      notices.add(
          describe(hostPort, server.getValue(), store.sshHostKey(hostPort))
              + "; check it against the fingerprint your Git host publishes, or run `ssh-keyscan"
              + " -p "
              + hostPort.substring(colon + 1)
              + " "
              + hostPort.substring(0, colon)
              + " | ssh-keygen -lf -` from a network you trust; pin another key in host_key");
    }
    return notices;
  }

  /**
   * The host keys of {@code manifest}'s SSH remotes that differ from the stored ones, by server.
   */
  private Map<String, String> changes(Manifest manifest) {
    Map<String, String> changes = new TreeMap<>();
    for (Resource resource : manifest.getResourcesList()) {
      if (!resource.hasGitRelease()) {
        continue;
      }
      GitRelease release = resource.getGitRelease();
      Optional<String> hostPort = SshHostKey.hostPort(release.getUrl());
      String key = release.getHostKey();
      if (key.isEmpty() || hostPort.isEmpty()) {
        continue;
      }
      Optional<String> known = store.sshHostKey(hostPort.get());
      if (known.isEmpty() || !known.get().equals(key)) {
        changes.putIfAbsent(hostPort.get(), key);
      }
    }
    return changes;
  }

  private static String describe(String hostPort, String key, Optional<String> known) {
    return "the SSH host key of "
        + hostPort
        + " is "
        + SshHostKey.fingerprint(key)
        + known
            .map(k -> ", replacing " + SshHostKey.fingerprint(k))
            .orElse(", trusted on first use");
  }
}
