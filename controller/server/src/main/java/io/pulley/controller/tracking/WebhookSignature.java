package io.pulley.controller.tracking;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a push webhook comes from the forge that shares the application's secret: GitHub's
 * {@code X-Hub-Signature-256} and Gitea's {@code X-Gitea-Signature} (HMAC-SHA256 of the body),
 * GitLab's {@code X-Gitlab-Token} (the secret itself). Comparisons take the same time whatever
 * matches, so a caller cannot find the secret byte by byte.
 */
public final class WebhookSignature {
  /** Who sent a verified request, in words for the trail ("the GitHub webhook"). */
  public sealed interface Verdict {}

  public record Verified(String sender) implements Verdict {}

  public record Rejected(String reason) implements Verdict {}

  private WebhookSignature() {}

  /**
   * @param header a request header by (case-insensitive) name, if present
   */
  public static Verdict check(
      Function<String, Optional<String>> header, byte[] body, String secret) {
    Optional<String> github = header.apply("X-Hub-Signature-256");
    if (github.isPresent()) {
      String value = github.get().trim();
      if (!value.toLowerCase(Locale.ROOT).startsWith("sha256=")) {
        return new Rejected("X-Hub-Signature-256 is not \"sha256=HEX\"");
      }
      return sameHmac(value.substring("sha256=".length()), body, secret)
          ? new Verified("the GitHub webhook")
          : new Rejected("X-Hub-Signature-256 does not match the body and the shared secret");
    }
    Optional<String> gitea = header.apply("X-Gitea-Signature");
    if (gitea.isPresent()) {
      return sameHmac(gitea.get().trim(), body, secret)
          ? new Verified("the Gitea webhook")
          : new Rejected("X-Gitea-Signature does not match the body and the shared secret");
    }
    Optional<String> gitlab = header.apply("X-Gitlab-Token");
    if (gitlab.isPresent()) {
      return MessageDigest.isEqual(
              gitlab.get().getBytes(StandardCharsets.UTF_8),
              secret.getBytes(StandardCharsets.UTF_8))
          ? new Verified("the GitLab webhook")
          : new Rejected("X-Gitlab-Token is not the shared secret");
    }
    return new Rejected(
        "no signature: expected X-Hub-Signature-256 (GitHub), X-Gitea-Signature (Gitea) or"
            + " X-Gitlab-Token (GitLab)");
  }

  /** The lower-case hex HMAC-SHA256 of {@code body} under {@code secret}, as forges send it. */
  public static String hmacHex(byte[] body, String secret) {
    return HexFormat.of().formatHex(hmac(body, secret));
  }

  private static boolean sameHmac(String hex, byte[] body, String secret) {
    byte[] given;
    try {
      given = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, hmac(body, secret));
  }

  private static byte[] hmac(byte[] body, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java platform provides HmacSHA256", e);
    }
  }
}
