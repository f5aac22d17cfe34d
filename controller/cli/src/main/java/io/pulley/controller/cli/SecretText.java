package io.pulley.controller.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How the bytes an admin pipes in become a secret's value. A one-line value loses the newline that
 * {@code echo} and editors add; a multi-line value (an OpenSSH private key) is kept as it is and
 * ends in a newline, because OpenSSH refuses a key file without one. Stateless.
 */
final class SecretText {

  /** The largest value the controller accepts, in UTF-8 bytes. */
  static final int MAX_BYTES = 64 * 1024;

  private SecretText() {}

  /**
   * The value in {@code bytes}.
   *
   * @throws CliException if the bytes are not UTF-8 text or the value is too large; the message
   *     never quotes the bytes
   */
  static String value(byte[] bytes, String source) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new CliException(
          "the value from " + source + " is not UTF-8 text; encode binary secrets (base64)",
          ExitCodes.USAGE);
    }
    String value = normalize(text);
    if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new CliException(
          "rejected: value: the value from "
              + source
              + " is larger than 64 KiB; nothing was stored",
          ExitCodes.REJECTED);
    }
    return value;
  }

  /** {@code text} with a one-line value's trailing newline removed, or a multi-line one ended. */
  static String normalize(String text) {
    String body = withoutFinalNewline(text);
    if (body.indexOf('\n') < 0) {
      return body;
    }
    return text.endsWith("\n") ? text : text + "\n";
  }

  private static String withoutFinalNewline(String text) {
    if (text.endsWith("\r\n")) {
      return text.substring(0, text.length() - 2);
    }
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }
}
