package io.pulley.controller.manifest;

import com.google.protobuf.CodedOutputStream;
import io.pulley.controller.stack.HandoverWords;
import io.pulley.v1.Manifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The identity of a manifest's content, used to tell whether an apply changes anything. */
public final class ContentHash {

  private ContentHash() {}

  /**
   * Hex SHA-256 of the manifest's deterministic protobuf serialization. Deterministic mode sorts
   * map entries, so the same content always gives the same hash within one contract version. The
   * handover mode is serialized as the word revisions stored before the enum hold ({@link
   * HandoverWords#withWord}): their hashes stay valid, and re-applying their unchanged manifest
   * stays unchanged.
   */
  public static String of(Manifest manifest) {
    Manifest hashed = HandoverWords.withWord(manifest);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(hashed.getSerializedSize());
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      hashed.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return HexFormat.of().formatHex(sha256().digest(bytes.toByteArray()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
