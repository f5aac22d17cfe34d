package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.pulley.controller.stack.HandoverWords;
import io.pulley.v1.StackWeb;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The keys a manifest writes: the schema's field names, with one renamed and deprecated fields left
 * out. Stateless.
 *
 * <p>{@code stack.web.handover} was a string field holding "per-release" or "reload" until the
 * contract gained the enum {@code HandoverMode}. The key now fills the enum field {@code
 * handover_mode} directly, taking the same words (the hyphen included) and refusing any other with
 * the same message, so every manifest reads as before and a compiled manifest carries only the
 * enum. The deprecated string field is no key: only revisions stored before the enum hold it, and
 * {@link HandoverWords} moves it into the enum wherever such a revision is read. Nor is {@code
 * handover_mode} a key, so that a manifest has one way to say it.
 */
final class ManifestKeys {

  private static final FieldDescriptor HANDOVER_MODE =
      StackWeb.getDescriptor().findFieldByNumber(StackWeb.HANDOVER_MODE_FIELD_NUMBER);

  private static final Map<FieldDescriptor, String> RENAMED = Map.of(HANDOVER_MODE, "handover");

  private ManifestKeys() {}

  /** The field {@code written} fills in a message of {@code type}, or null if it fills none. */
  static @Nullable FieldDescriptor field(Descriptor type, String written) {
    for (FieldDescriptor field : type.getFields()) {
      if (key(field).filter(written::equals).isPresent()) {
        return field;
      }
    }
    return null;
  }

  /** The keys of {@code type}, in the schema's order, for the hint after an unknown one. */
  static List<String> keys(Descriptor type) {
    return type.getFields().stream().map(ManifestKeys::key).flatMap(Optional::stream).toList();
  }

  /** Whether {@code field} takes the words of {@link HandoverWords} instead of its enum's names. */
  static boolean takesHandoverWord(FieldDescriptor field) {
    return field.equals(HANDOVER_MODE);
  }

  /** Why {@code word} is no handover, worded as when the field was a string. */
  static String notAHandover(String word) {
    return "handover must be \"per-release\" (the default) or \"reload\", was " + quote(word);
  }

  private static Optional<String> key(FieldDescriptor field) {
    if (field.getOptions().getDeprecated()) {
      return Optional.empty();
    }
    return Optional.of(RENAMED.getOrDefault(field, field.getName()));
  }
}
