package io.pulley.controller.manifest;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.login.FailedLoginException;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * The SSH side of reading one remote in-process (Apache MINA sshd under JGit): the deploy key
 * parsed from memory, nothing read from or written to {@code ~/.ssh} (no config, no known_hosts, no
 * agent, no other identities), public-key authentication only, and a host key check that accepts
 * only the expected key, or, with none expected, the first one shown, which it remembers. One per
 * connection; not thread-safe beyond what sshd's callbacks need.
 */
final class SshAccess implements ServerKeyDatabase, AutoCloseable {

  // A directory that cannot exist: JGit wants a home and an .ssh directory, and finds nothing.
  private static final File NO_HOME = new File("/dev/null/pulley-has-no-ssh-home");

  private final List<KeyPair> identities;
  private final PublicKey expected;
  private final SshdSessionFactory factory;
  private volatile PublicKey shown;
  private volatile boolean mismatch;

  private SshAccess(List<KeyPair> identities, PublicKey expected) {
    this.identities = identities;
    this.expected = expected;
    this.factory =
        new SshdSessionFactoryBuilder()
            .setHomeDirectory(NO_HOME)
            .setSshDirectory(NO_HOME)
            .setConfigFile(dir -> null)
            .setConfigStoreFactory((home, file, user) -> null)
            .setDefaultKnownHostsFiles(dir -> List.of())
            .setDefaultIdentities(dir -> List.of())
            .setDefaultKeysProvider(dir -> this.identities)
            .setServerKeyDatabase((home, dir) -> this)
            .setPreferredAuthentications("publickey")
            .build(null);
  }

  /**
   * Access for {@code remote}.
   *
   * @throws RemoteFailure if its deploy key or expected host key cannot be read
   */
  static SshAccess of(GitRemote remote) throws RemoteFailure {
    List<KeyPair> identities = new ArrayList<>();
    if (!remote.privateKey().isEmpty()) {
      identities.add(privateKey(remote.privateKey()));
    }
    PublicKey expected = null;
    if (!remote.hostKey().isEmpty()) {
      try {
        expected = SshHostKey.parse(remote.hostKey());
      } catch (GeneralSecurityException | IOException | RuntimeException e) {
        throw new RemoteFailure("host_key", "host_key is not a readable OpenSSH public key");
      }
    }
    return new SshAccess(List.copyOf(identities), expected);
  }

  private static KeyPair privateKey(String text) throws RemoteFailure {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      Iterable<KeyPair> keys =
          SecurityUtils.loadKeyPairIdentities(
              null, NamedResource.ofName("deploy key"), new ByteArrayInputStream(bytes), null);
      if (keys != null) {
        for (KeyPair key : keys) {
          return key;
        }
      }
    } catch (FailedLoginException e) {
      throw new RemoteFailure(
          "deploy_key_secret",
          "the deploy key is protected by a passphrase; the controller and the agents need one"
              + " without (`ssh-keygen -p -N '' -f KEY_FILE` removes it), then set the secret again");
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      // The parser's message may quote the text it choked on: it is not passed on.
    }
    throw new RemoteFailure(
        "deploy_key_secret",
        "the secret is not an OpenSSH private key (\"-----BEGIN OPENSSH PRIVATE KEY-----\", as"
            + " `ssh-keygen -t ed25519 -N ''` writes it)");
  }

  SshdSessionFactory factory() {
    return factory;
  }

  /** The deploy key's fingerprint, "SHA256:...", or empty without one. */
  String keyFingerprint() {
    return identities.isEmpty() ? "" : KeyUtils.getFingerPrint(identities.get(0).getPublic());
  }

  /** The host key the remote showed, as a line, or empty if it showed none yet. */
  String shownKey() {
    PublicKey key = shown;
    return key == null ? "" : SshHostKey.line(key);
  }

  /** The expected host key's fingerprint, or empty if none was expected. */
  String expectedFingerprint() {
    return expected == null ? "" : SshHostKey.fingerprint(expected);
  }

  /** True if the remote showed a host key other than the expected one. */
  boolean mismatch() {
    return mismatch;
  }

  @Override
  public List<PublicKey> lookup(
      String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    // What is known decides which host key type is asked for first.
    return expected == null ? List.of() : List.of(expected);
  }

  @Override
  public boolean accept(
      String connectAddress,
      InetSocketAddress remoteAddress,
      PublicKey serverKey,
      Configuration config,
      CredentialsProvider provider) {
    shown = serverKey;
    if (expected == null) {
      return true;
    }
    boolean same = KeyUtils.compareKeys(expected, serverKey);
    mismatch = !same;
    return same;
  }

  @Override
  public void close() {
    factory.close();
  }
}
