package io.pulley.controller.manifest;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.re2j.Pattern;
import io.pulley.controller.stack.HandoverWords;
import io.pulley.v1.HandoverMode;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Converts a YAML scalar to the value of a protobuf field of a scalar type. */
final class ScalarValue {
  private static final Pattern WORD_BOUNDARY = Pattern.compile("([a-z0-9])([A-Z])");

  private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern REAL =
      Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

  private ScalarValue() {}

  /**
   * The value for {@code field}, or empty if the scalar's text does not fit its type. Strings take
   * the text as written, whatever YAML type it would resolve to; integers must be decimal; the
   * handover takes its words ({@link ManifestKeys}).
   */
  static Optional<Object> of(FieldDescriptor field, ScalarNode scalar) {
    String text = scalar.getValue();
    return switch (field.getJavaType()) {
      case STRING -> Optional.of(text);
      case INT -> integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE).map(Long::intValue);
      case LONG -> integer(text, Long.MIN_VALUE, Long.MAX_VALUE).map(Object.class::cast);
      case BOOLEAN -> bool(text);
      case FLOAT -> real(text).map(Double::floatValue);
      case DOUBLE -> real(text).map(Object.class::cast);
      case ENUM -> enumValue(field, text);
      default -> Optional.empty();
    };
  }

  private static Optional<Long> integer(String text, long min, long max) {
    if (!DECIMAL.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      long value = Long.parseLong(text);
      return value < min || value > max ? Optional.empty() : Optional.of(value);
    } catch (NumberFormatException tooLong) {
      return Optional.empty();
    }
  }

  private static Optional<Object> bool(String text) {
    return switch (text) {
      case "true" -> Optional.of(Boolean.TRUE);
      case "false" -> Optional.of(Boolean.FALSE);
      default -> Optional.empty();
    };
  }

  private static Optional<Double> real(String text) {
    return REAL.matcher(text).matches() ? Optional.of(Double.valueOf(text)) : Optional.empty();
  }

  // "block" reads as OFFLINE_HOSTS_BLOCK: the enum's own name is its values' prefix (protobuf's
  // style), which nobody should have to write in a manifest. The full name works too.
  private static Optional<Object> enumValue(FieldDescriptor field, String text) {
    if (ManifestKeys.takesHandoverWord(field)) {
      return HandoverWords.mode(text).map(HandoverMode::getValueDescriptor);
    }
    EnumValueDescriptor value = field.getEnumType().findValueByName(text);
    if (value == null) {
      String suffix = text.toUpperCase(Locale.ROOT).replace('-', '_');
      if (!suffix.equals("UNSPECIFIED")) {
        value = field.getEnumType().findValueByName(prefix(field.getEnumType()) + suffix);
      }
    }
    return Optional.ofNullable(value).map(Object.class::cast);
  }

  /** The words an enum field takes, such as "skip, block": its values' names without the prefix. */
  static String enumWords(FieldDescriptor field) {
    String prefix = prefix(field.getEnumType());
    return field.getEnumType().getValues().stream()
        .map(EnumValueDescriptor::getName)
        .filter(name -> !name.equals(prefix + "UNSPECIFIED"))
        .map(name -> name.startsWith(prefix) ? name.substring(prefix.length()) : name)
        .map(name -> name.toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }

  /** "OFFLINE_HOSTS_" for the enum OfflineHosts. */
  private static String prefix(EnumDescriptor type) {
    return WORD_BOUNDARY.matcher(type.getName()).replaceAll("$1_$2").toUpperCase(Locale.ROOT) + "_";
  }
}
