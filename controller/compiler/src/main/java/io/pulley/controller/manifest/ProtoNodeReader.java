package io.pulley.controller.manifest;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Fills a protobuf message from a YAML node tree, driven by the message's descriptor: mapping keys
 * are field names, sequences fill repeated fields, mappings fill messages and maps. Records where
 * every field was written and every mistake, and goes on after a mistake so that one pass reports
 * them all. Not thread-safe: one per compilation.
 *
 * <p>String fields take a scalar's text exactly as written: YAML 1.2 reads {@code mode: 0755} as
 * the integer 755, which would silently change a file mode, so the text wins over the YAML type.
 */
final class ProtoNodeReader {

  private final Problems problems;
  private final Positions positions;

  ProtoNodeReader(Problems problems, Positions positions) {
    this.problems = problems;
    this.positions = positions;
  }

  /** Merges the mapping {@code node} into {@code builder}; {@code path} names it in errors. */
  void readMessage(Node node, Message.Builder builder, String path) {
    if (!positions.contains(path)) {
      positions.put(path, node.getStartMark());
    }
    if (isNull(node) || rejectedAnchor(node, path)) {
      return;
    }
    if (!(node instanceof MappingNode mapping)) {
      problems.add(path, node.getStartMark(), "expected a mapping, got " + describe(node));
      return;
    }
    Descriptor type = builder.getDescriptorForType();
    Map<String, Node> seenKeys = new HashMap<>();
    Map<OneofDescriptor, String> chosen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Optional<String> name = key(tuple.getKeyNode(), path, seenKeys, n -> join(path, n));
      if (name.isEmpty()) {
        continue;
      }
      String childPath = join(path, name.get());
      FieldDescriptor field = ManifestKeys.field(type, name.get());
      if (field == null) {
        reportUnknown(type, name.get(), childPath, tuple.getKeyNode());
      } else if (acceptsOneofMember(field, chosen, childPath, tuple.getKeyNode(), path)) {
        readField(tuple, builder, field, childPath);
      }
    }
  }

  /** The text of a mapping key, or empty after reporting why it cannot be used. */
  private Optional<String> key(
      Node key, String path, Map<String, Node> seenKeys, UnaryOperator<String> childPath) {
    if (rejectedAnchor(key, path)) {
      return Optional.empty();
    }
    if (!(key instanceof ScalarNode scalar)) {
      problems.add(path, key.getStartMark(), "expected a key, got " + describe(key));
      return Optional.empty();
    }
    String name = scalar.getValue();
    Node first = seenKeys.putIfAbsent(name, key);
    if (first != null) {
      problems.add(
          childPath.apply(name),
          key.getStartMark(),
          "duplicate key \"" + name + "\" (first on line " + line(first) + "); keep only one");
      return Optional.empty();
    }
    return Optional.of(name);
  }

  private void reportUnknown(Descriptor type, String name, String path, Node key) {
    if (type.isReservedName(name)) {
      problems.add(
          path, key.getStartMark(), "\"" + name + "\" is not supported yet by this controller");
      return;
    }
    List<String> known = ManifestKeys.keys(type);
    String hint =
        FieldSuggestion.closest(name, known)
            .map(s -> "did you mean \"" + s + "\"?")
            .orElse("expected one of " + String.join(", ", known));
    problems.add(path, key.getStartMark(), "unknown field \"" + name + "\"; " + hint);
  }

  /** A oneof takes one member: a second one is a mistake the admin must resolve. */
  private boolean acceptsOneofMember(
      FieldDescriptor field,
      Map<OneofDescriptor, String> chosen,
      String childPath,
      Node key,
      String path) {
    OneofDescriptor oneof = field.getRealContainingOneof();
    if (oneof == null) {
      return true;
    }
    String first = chosen.putIfAbsent(oneof, field.getName());
    if (first == null) {
      return true;
    }
    problems.add(
        path,
        key.getStartMark(),
        "both \""
            + first
            + "\" and \""
            + field.getName()
            + "\" are set; a "
            + field.getContainingType().getName().toLowerCase(Locale.ROOT)
            + " has exactly one "
            + oneof.getName()
            + " ("
            + oneofMembers(oneof)
            + "), so split it in two");
    return false;
  }

  private void readField(
      NodeTuple tuple, Message.Builder builder, FieldDescriptor field, String path) {
    Node value = tuple.getValueNode();
    // A block collection starts on the line after its key; a missing member is reported at the key.
    boolean collection = value instanceof MappingNode || value instanceof SequenceNode;
    positions.put(path, (collection ? tuple.getKeyNode() : value).getStartMark());
    if (rejectedAnchor(value, path)) {
      return;
    }
    if (isNull(value)) {
      // "directory: ~" still chooses the kind; its members are then checked as missing.
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()) {
        builder.setField(field, builder.newBuilderForField(field).build());
      }
      return;
    }
    if (field.isMapField()) {
      readMap(value, builder, field, path);
    } else if (field.isRepeated()) {
      readList(value, builder, field, path);
    } else {
      readSingle(value, builder, field, path).ifPresent(v -> builder.setField(field, v));
    }
  }

  private void readList(Node value, Message.Builder builder, FieldDescriptor field, String path) {
    if (!(value instanceof SequenceNode sequence)) {
      problems.add(path, value.getStartMark(), "expected a sequence, got " + describe(value));
      return;
    }
    List<Node> items = sequence.getValue();
    for (int i = 0; i < items.size(); i++) {
      String itemPath = path + "[" + i + "]";
      positions.put(itemPath, items.get(i).getStartMark());
      if (!rejectedAnchor(items.get(i), itemPath)) {
        readSingle(items.get(i), builder, field, itemPath)
            .ifPresent(v -> builder.addRepeatedField(field, v));
      }
    }
  }

  private void readMap(Node value, Message.Builder builder, FieldDescriptor field, String path) {
    if (!(value instanceof MappingNode mapping)) {
      problems.add(path, value.getStartMark(), "expected a mapping, got " + describe(value));
      return;
    }
    Descriptor entryType = field.getMessageType();
    FieldDescriptor keyField = entryType.findFieldByName("key");
    FieldDescriptor valueField = entryType.findFieldByName("value");
    Map<String, Node> seenKeys = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Optional<String> key = key(tuple.getKeyNode(), path, seenKeys, k -> entryPath(path, k));
      if (key.isEmpty()) {
        continue;
      }
      String entryPath = entryPath(path, key.get());
      positions.put(entryPath, tuple.getKeyNode().getStartMark());
      Message.Builder entry = builder.newBuilderForField(field);
      Optional<Object> keyValue = readSingle(tuple.getKeyNode(), entry, keyField, entryPath);
      Node valueNode = tuple.getValueNode();
      Optional<Object> entryValue =
          isNull(valueNode) || rejectedAnchor(valueNode, entryPath)
              ? Optional.of(valueField.getDefaultValue())
              : readSingle(valueNode, entry, valueField, entryPath);
      if (keyValue.isPresent() && entryValue.isPresent()) {
        entry.setField(keyField, keyValue.get()).setField(valueField, entryValue.get());
        builder.addRepeatedField(field, entry.build());
      }
    }
  }

  /** One value of a singular field, or of one element of a repeated or map field. */
  private Optional<Object> readSingle(
      Node node, Message.Builder owner, FieldDescriptor field, String path) {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      Message.Builder child = owner.newBuilderForField(field);
      readMessage(node, child, path);
      return Optional.of(child.build());
    }
    if (!(node instanceof ScalarNode scalar)) {
      problems.add(
          path, node.getStartMark(), "expected " + scalarKind(field) + ", got " + describe(node));
      return Optional.empty();
    }
    Optional<Object> value = ScalarValue.of(field, scalar);
    if (value.isEmpty()) {
      problems.add(
          path,
          node.getStartMark(),
          ManifestKeys.takesHandoverWord(field)
              ? ManifestKeys.notAHandover(scalar.getValue())
              : "expected " + scalarKind(field) + ", got \"" + scalar.getValue() + "\"");
    }
    return value;
  }

  /** Anchors are refused: they add nothing to a short manifest and aliases can multiply work. */
  private boolean rejectedAnchor(Node node, String path) {
    if (node.getAnchor().isEmpty()) {
      return false;
    }
    problems.add(
        path,
        node.getStartMark(),
        "anchors and aliases (&" + node.getAnchor().get() + ") are not supported; write it out");
    return true;
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a sequence";
    }
    return "\"" + ((ScalarNode) node).getValue() + "\"";
  }

  private static String scalarKind(FieldDescriptor field) {
    if (ManifestKeys.takesHandoverWord(field)) {
      return "a string"; // as when the handover was a string field
    }
    return switch (field.getJavaType()) {
      case INT, LONG -> "an integer";
      case BOOLEAN -> "true or false";
      case ENUM -> "one of " + ScalarValue.enumWords(field);
      case FLOAT, DOUBLE -> "a number";
      default -> "a string";
    };
  }

  private static String oneofMembers(OneofDescriptor oneof) {
    return oneof.getFields().stream()
        .map(FieldDescriptor::getName)
        .collect(Collectors.joining(", "));
  }

  private static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String entryPath(String path, String key) {
    return path + "[" + quote(key) + "]";
  }

  static String quote(String key) {
    return "\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
