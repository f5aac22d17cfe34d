package io.pulley.testing;

/**
 * A string field read from the CLI's {@code -o json} output, as the tests need it: the first {@code
 * "name": "value"} pair. Enough for protobuf's JSON printer, which writes one such pair per line
 * and escapes quotes; not a JSON parser.
 */
public final class JsonText {
  private JsonText() {}

  /** The value of the first string field {@code name} in {@code json}. */
  public static String field(String json, String name) {
    String key = "\"" + name + "\": \"";
    int start = json.indexOf(key);
    if (start < 0) {
      throw new IllegalArgumentException("no string field \"" + name + "\" in: " + json);
    }
    start += key.length();
    return json.substring(start, json.indexOf('"', start));
  }
}
