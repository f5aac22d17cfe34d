package io.pulley.controller.manifest;

import io.pulley.wire.SshHostKeyTypes;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.URIish;

/**
 * SSH host keys as a manifest writes them, one OpenSSH public key line ({@code ssh-ed25519
 * AAAA...}, an optional comment after it), and as an admin compares them: by SHA256 fingerprint, as
 * {@code ssh-keygen -lf} prints it. Stateless.
 */
public final class SshHostKey {

  /** Longer lines are refused before anything parses them; a 16384-bit RSA key is shorter. */
  static final int MAX_LENGTH = 8192;

  private static final Set<String> TYPES = SshHostKeyTypes.ACCEPTED;

  private SshHostKey() {}

  /** Why {@code line} is not a host key line, or empty if it is one. */
  public static Optional<String> problem(String line) {
    if (line.length() > MAX_LENGTH) {
      return Optional.of(
          "host_key is " + line.length() + " characters long; the limit is " + MAX_LENGTH);
    }
    String type = line.strip();
    int blank = type.indexOf(' ');
    type = blank < 0 ? type : type.substring(0, blank);
    if (!TYPES.contains(type)) {
      return Optional.of(
          "host_key must be one OpenSSH public key line, \"ssh-ed25519 AAAA...\" (the key type"
              + " first: "
              + String.join(", ", TYPES.stream().sorted().toList())
              + "), as `ssh-keyscan HOST` prints it without the host name");
    }
    try {
      parse(line);
      return Optional.empty();
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return Optional.of("host_key is not a readable " + type + " public key");
    }
  }

  /** The key of {@code line}. */
  public static PublicKey parse(String line) throws GeneralSecurityException, IOException {
    PublicKeyEntry entry = PublicKeyEntry.parsePublicKeyEntry(line.strip());
    if (entry == null) {
      throw new GeneralSecurityException("not a public key line");
    }
    PublicKey key = entry.resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
    if (key == null) {
      throw new GeneralSecurityException("unknown key type");
    }
    return key;
  }

  /** {@code key} as a line without a comment: "ssh-ed25519 AAAA...". */
  public static String line(PublicKey key) {
    return PublicKeyEntry.toString(key);
  }

  /** "SHA256:..." of {@code key}. */
  public static String fingerprint(PublicKey key) {
    return KeyUtils.getFingerPrint(key);
  }

  /** "SHA256:..." of the key in {@code line}, or empty if it is not one. */
  public static String fingerprint(String line) {
    try {
      return fingerprint(parse(line));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return "";
    }
  }

  /** {@code line} without its comment, as the controller stores it, or empty if not a key. */
  public static String normalise(String line) {
    try {
      return line(parse(line));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return "";
    }
  }

  /** True for ssh:// and scp-like {@code user@host:path} URLs. */
  public static boolean isSsh(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.startsWith("ssh://") || (!url.contains("://") && url.contains("@"));
  }

  /** "host:port" of an SSH URL (port 22 unless it names one), or empty if it is none. */
  public static Optional<String> hostPort(String url) {
    if (!isSsh(url)) {
      return Optional.empty();
    }
    try {
      URIish uri = new URIish(url);
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        return Optional.empty();
      }
      int port = uri.getPort() > 0 ? uri.getPort() : 22;
      return Optional.of(uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
