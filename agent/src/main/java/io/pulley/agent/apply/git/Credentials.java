package io.pulley.agent.apply.git;

import com.google.re2j.Pattern;

/** Keeps credentials embedded in remote URLs out of reports and logs. */
final class Credentials {
  /** "scheme://user:secret@host" → "scheme://***@host", wherever it stands in a message. */
  private static final Pattern USERINFO = Pattern.compile("(://)[^/@\\s]+@");

  private Credentials() {}

  static String redact(String text) {
    return text == null ? "" : USERINFO.matcher(text).replaceAll("$1***@");
  }
}
