package io.pulley.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.AbstractCommandSupport;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real SSH Git server on loopback (Apache MINA sshd running JGit's upload-pack): serves one
 * repository, read-only, to one user with one authorised public key. Its host key can be replaced
 * while it runs, as a reinstalled server's would be. Counts the sessions that logged in.
 */
public final class SshGitServer implements AutoCloseable {

  private final SshServer server;
  private final Repository repository;
  private final AtomicReference<KeyPair> hostKey;
  private final List<PublicKey> authorised = new CopyOnWriteArrayList<>();
  // sshd asks twice per key (offer, then signature): logins count sessions, not calls.
  private final java.util.Set<Object> logins = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final CloseableExecutorService executor =
      ThreadUtils.newFixedThreadPool("ssh-git-test", 2);

  private SshGitServer(File gitDir, String user, KeyPair hostKey) throws IOException {
    this.repository = new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
    this.hostKey = new AtomicReference<>(hostKey);
    this.server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(session -> List.of(this.hostKey.get()));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setPublickeyAuthenticator(
        (name, key, session) -> {
          boolean ok =
              user.equals(name) && authorised.stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
          if (ok) {
            logins.add(session);
          }
          return ok;
        });
    server.setShellFactory(null);
    server.setCommandFactory((channel, command) -> new UploadPackCommand(command));
  }

  /**
   * Starts a server for the repository whose Git directory is {@code gitDir} (such as {@code
   * dir/.git}), letting {@code user} in with {@code clientKey}.
   */
  public static SshGitServer start(File gitDir, String user, PublicKey clientKey, KeyPair hostKey)
      throws IOException {
    SshGitServer git = new SshGitServer(gitDir, user, hostKey);
    git.authorised.add(clientKey);
    git.server.start();
    return git;
  }

  /** A new Ed25519 key pair. */
  public static KeyPair newKey() {
    try {
      return KeyUtils.generateKeyPair("ssh-ed25519", 256);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make an Ed25519 key", e);
    }
  }

  /** {@code key}'s private half in OpenSSH format, as {@code ssh-keygen} writes it. */
  public static String privateKeyText(KeyPair key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "deploy key", null, out);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the key", e);
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** {@code key}'s public half as an OpenSSH line, "ssh-ed25519 AAAA...". */
  public static String publicKeyLine(PublicKey key) {
    return PublicKeyEntry.toString(key);
  }

  /** {@code key}'s fingerprint as {@code ssh-keygen -lf} prints it, "SHA256:...". */
  public static String fingerprint(PublicKey key) {
    return KeyUtils.getFingerPrint(key);
  }

  /** The URL of the served repository, as user {@code user}. */
  public String url(String user) {
    return "ssh://" + user + "@127.0.0.1:" + server.getPort() + "/app.git";
  }

  public int port() {
    return server.getPort();
  }

  /** The host key the server shows now, as an OpenSSH line. */
  public String hostKeyLine() {
    return publicKeyLine(hostKey.get().getPublic());
  }

  /** Makes new sessions see {@code key} as the server's host key. */
  public void replaceHostKey(KeyPair key) {
    hostKey.set(key);
  }

  /** Lets {@code key} log in too. */
  public void authorise(PublicKey key) {
    authorised.add(key);
  }

  /** Sessions that logged in so far. */
  public int logins() {
    return logins.size();
  }

  @Override
  public void close() {
    try {
      server.stop(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      executor.shutdownNow();
      repository.close();
    }
  }

  /** git-upload-pack on the one repository, whatever path was asked for. */
  private final class UploadPackCommand extends AbstractCommandSupport implements Command {
    UploadPackCommand(String command) {
      super(command, ThreadUtils.noClose(executor));
    }

    @Override
    public void run() {
      if (!getCommand().startsWith("git-upload-pack")) {
        onExit(127, "only git-upload-pack is served");
        return;
      }
      UploadPack pack = new UploadPack(repository);
      Map<String, String> env = getEnvironment().getEnv();
      String protocol = env.get("GIT_PROTOCOL");
      if (protocol != null) {
        pack.setExtraParameters(List.of(protocol));
      }
      try {
        pack.upload(getInputStream(), getOutputStream(), getErrorStream());
        onExit(0);
      } catch (IOException e) {
        onExit(1, e.toString());
      }
    }
  }
}
