package io.pulley.agent.apply.git;

import io.pulley.wire.SshHostKeyTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pins a remote's SSH host key, as the controller accepted it, in an OpenSSH known_hosts file:
 * every earlier line for that server (plain or hashed, as Debian's ssh writes them) is dropped and
 * the pinned key written, so ssh accepts that key only. Lines for other servers (submodules
 * elsewhere, trusted on first use) stay. The file is replaced atomically and stays owner-only.
 * Stateless; one apply at a time per file.
 */
final class KnownHosts {

  /** Larger files are not read: a known_hosts of a few servers is a few KiB. */
  static final int MAX_BYTES = 1 << 20;

  private static final Set<String> TYPES = SshHostKeyTypes.ACCEPTED;

  private KnownHosts() {}

  /**
   * {@code line} ("ssh-ed25519 AAAA..." with an optional comment) as "type base64", or empty if it
   * is not a host key line: a newline or a pattern in it would let the plan trust other keys.
   */
  static Optional<String> keyOf(String line) {
    List<String> parts = fields(line.strip(), ' ');
    if (parts.size() < 2 || parts.size() > 3 || !TYPES.contains(parts.get(0))) {
      return Optional.empty();
    }
    String data = parts.get(1);
    if (data.isEmpty() || data.length() > 8192 || !data.chars().allMatch(KnownHosts::base64)) {
      return Optional.empty();
    }
    try {
      Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(parts.get(0) + " " + data);
  }

  /** Writes {@code key} (from {@link #keyOf}) as the only key of {@code server} in {@code file}. */
  static void pin(Path file, RemoteHost server, String key) throws IOException {
    String name = server.knownHostsName();
    List<String> kept = new ArrayList<>();
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
        throw new IOException(file + " is not a known_hosts file of at most 1 MiB");
      }
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!names(line, name)) {
          kept.add(line);
        }
      }
    }
    kept.add(name + " " + key);
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(
        temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(temp, kept, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** True if {@code line}'s host field names {@code name}, in a plain list or hashed. */
  static boolean names(String line, String name) {
    String stripped = line.strip();
    int blank = stripped.indexOf(' ');
    if (stripped.isEmpty() || stripped.startsWith("#") || blank < 0) {
      return false;
    }
    String hosts = stripped.substring(0, blank);
    if (hosts.startsWith("@")) {
      // @cert-authority or @revoked: the hosts come second; those lines are left alone.
      return false;
    }
    if (hosts.startsWith("|1|")) {
      return hashed(hosts, name);
    }
    for (String host : fields(hosts, ',')) {
      if (host.equals(name)) {
        return true;
      }
    }
    return false;
  }

  // "|1|salt|hash": hash = HMAC-SHA1 of the host name keyed with the salt, both base64.
  private static boolean hashed(String field, String name) {
    List<String> parts = fields(field, '|');
    if (parts.size() != 4) {
      return false;
    }
    try {
      byte[] salt = Base64.getDecoder().decode(parts.get(2));
      byte[] hash = Base64.getDecoder().decode(parts.get(3));
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(salt, "HmacSHA1"));
      return MessageDigest.isEqual(hash, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  /** {@code text} cut at every {@code separator}, empty pieces kept. */
  private static List<String> fields(String text, char separator) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == separator) {
        pieces.add(text.substring(start, i));
        start = i + 1;
      }
    }
    return pieces;
  }

  private static boolean base64(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '/'
        || c == '=';
  }
}
