package io.pulley.controller.manifest;

import com.google.re2j.Pattern;

/** The Git remote URLs a manifest may name, and how to show one without its credentials. */
public final class RemoteUrl {

  private static final Pattern SCHEME_URL = Pattern.compile("(?i)(file|https?|ssh)://[^\\s]+");
  private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\\s]+");
  private static final Pattern USERINFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://+)[^/@\\s]+@");
  // Some libraries print a URL differently than it was written; drop any "user:secret@" too.
  private static final Pattern USER_AND_SECRET = Pattern.compile("[^\\s/:@]+:[^\\s/@]+@");

  /** Longer URLs are refused before anything parses them; real ones are far shorter. */
  static final int MAX_LENGTH = 2048;

  private RemoteUrl() {}

  /** Why {@code url} is too long to consider, or null if it is not. */
  static String lengthProblem(String url) {
    return url.length() <= MAX_LENGTH
        ? null
        : "url is " + url.length() + " characters long; the limit is " + MAX_LENGTH;
  }

  /** True for file://, http://, https://, ssh:// and scp-like {@code git@host:path} URLs. */
  static boolean isSupported(String url) {
    return SCHEME_URL.matcher(url).matches() || SCP_LIKE.matcher(url).matches();
  }

  /**
   * {@code text} with the user information of every URL in it removed, so a password or token
   * written into a URL never reaches an error message or a log.
   */
  public static String redact(String text) {
    String withoutUserinfo = USERINFO.matcher(text).replaceAll("$1");
    return USER_AND_SECRET.matcher(withoutUserinfo).replaceAll("");
  }
}
