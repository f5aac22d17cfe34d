package io.pulley.controller.access;

import io.pulley.wire.SafeText;
import java.util.List;

/**
 * What a deployer may change: "APP/ENV" patterns in which '*' matches any run of characters.
 * Matched by a scan, never a regular expression, so a pattern costs at most its length times the
 * name's.
 */
public final class Scopes {
  static final int MAX_SCOPES = 32;
  static final int MAX_LENGTH = 200;

  private Scopes() {}

  /** Whether {@code scopes} (empty: no limit) let the caller change {@code app}/{@code env}. */
  public static boolean allow(List<String> scopes, String app, String env) {
    if (scopes.isEmpty()) {
      return true;
    }
    String name = app + "/" + env;
    return scopes.stream().anyMatch(scope -> matches(scope, name));
  }

  /** Why {@code scopes} cannot be granted, or null. */
  static String problem(List<String> scopes) {
    if (scopes.size() > MAX_SCOPES) {
      return "at most " + MAX_SCOPES + " scopes, got " + scopes.size();
    }
    for (String scope : scopes) {
      int slash = scope.indexOf('/');
      boolean shaped = slash > 0 && slash == scope.lastIndexOf('/') && slash < scope.length() - 1;
      if (!shaped || scope.length() > MAX_LENGTH || !allowedCharacters(scope)) {
        return "a scope is APP/ENV of letters, digits, '.', '_', '-' and '*', got \""
            + SafeText.excerpt(scope)
            + "\"";
      }
    }
    return null;
  }

  /** Glob match with '*' only: the classic two-pointer scan, backtracking to the last star. */
  static boolean matches(String pattern, String name) {
    int p = 0;
    int n = 0;
    int star = -1;
    int resume = 0;
    while (n < name.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = n;
      } else if (p < pattern.length() && pattern.charAt(p) == name.charAt(n)) {
        p++;
        n++;
      } else if (star >= 0) {
        p = star + 1;
        n = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  private static boolean allowedCharacters(String scope) {
    for (int i = 0; i < scope.length(); i++) {
      char c = scope.charAt(i);
      boolean ok =
          Character.isLetterOrDigit(c) && c < 0x80
              || c == '.'
              || c == '_'
              || c == '-'
              || c == '*'
              || c == '/';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
