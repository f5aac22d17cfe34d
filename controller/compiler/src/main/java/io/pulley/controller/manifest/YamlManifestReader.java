package io.pulley.controller.manifest;

import io.pulley.v1.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Turns manifest YAML text into a {@link Manifest} builder, recording every mistake and where each
 * field was written. Thread-safe: it keeps no state between calls.
 */
final class YamlManifestReader {

  /** Largest manifest accepted, in UTF-8 bytes. */
  static final int MAX_BYTES = 1 << 20;

  /**
   * Deepest nesting of mappings and sequences accepted. The schema needs about eight levels;
   * snakeyaml-engine composes nodes recursively, so ten thousand would overflow the stack.
   */
  static final int MAX_DEPTH = 64;

  /**
   * Reads {@code text}. Returns the builder (possibly incomplete when mistakes were found), or
   * empty when the text is not a YAML mapping at all.
   */
  Optional<Manifest.Builder> read(
      String text, String sourceName, Problems problems, Positions positions) {
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      problems.add(
          "",
          Optional.empty(),
          "the manifest has " + bytes + " bytes; at most " + MAX_BYTES + " are allowed");
      return Optional.empty();
    }
    Optional<Node> root = compose(text, sourceName, problems);
    if (root.isEmpty()) {
      return Optional.empty();
    }
    Manifest.Builder manifest = Manifest.newBuilder();
    new ProtoNodeReader(problems, positions).readMessage(root.get(), manifest, "");
    return Optional.of(manifest);
  }

  private static Optional<Node> compose(String text, String sourceName, Problems problems) {
    try {
      if (tooDeep(text, sourceName, problems)) {
        return Optional.empty();
      }
      Iterator<Node> documents =
          new Compose(settings(sourceName)).composeAllFromString(text).iterator();
      if (!documents.hasNext()) {
        return emptyDocument(problems);
      }
      Node root = documents.next();
      if (documents.hasNext()) {
        problems.add(
            "",
            documents.next().getStartMark(),
            "a second YAML document starts here; a manifest is a single document");
      }
      return isNull(root) ? emptyDocument(problems) : Optional.of(root);
    } catch (MarkedYamlEngineException e) {
      problems.add("", e.getProblemMark(), "not valid YAML: " + e.getProblem());
      return Optional.empty();
    } catch (ReaderException e) {
      problems.add(
          "",
          Optional.of(markAt(text, sourceName, e.getPosition())),
          "not valid YAML: the character U+%04X is not allowed in YAML"
              .formatted(e.getCodePoint()));
      return Optional.empty();
    } catch (YamlEngineException e) {
      problems.add("", Optional.empty(), "not valid YAML: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * True, after recording where, if collections nest deeper than {@link #MAX_DEPTH}. The parser
   * keeps its state on the heap, so walking its events is safe at any depth, unlike composing.
   */
  private static boolean tooDeep(String text, String sourceName, Problems problems) {
    int depth = 0;
    for (Event event : new Parse(settings(sourceName)).parseString(text)) {
      if (event instanceof CollectionStartEvent) {
        depth++;
        if (depth > MAX_DEPTH) {
          problems.add(
              "",
              event.getStartMark(),
              "mappings and sequences nest deeper than " + MAX_DEPTH + " levels here");
          return true;
        }
      } else if (event instanceof CollectionEndEvent) {
        depth--;
      }
    }
    return false;
  }

  /**
   * Where the reader stopped: it counts code points and gives no line, so the line and column are
   * counted here, once, in linear time.
   */
  private static Mark markAt(String text, String sourceName, int codePointIndex) {
    int line = 0;
    int column = 0;
    int offset = 0;
    for (int seen = 0; seen < codePointIndex && offset < text.length(); seen++) {
      int codePoint = text.codePointAt(offset);
      offset += Character.charCount(codePoint);
      if (codePoint == '\n') {
        line++;
        column = 0;
      } else {
        column++;
      }
    }
    return new Mark(sourceName, codePointIndex, line, column, new int[0], 0);
  }

  private static Optional<Node> emptyDocument(Problems problems) {
    problems.add(
        "",
        Optional.empty(),
        "the manifest is empty; it needs at least \"application\" and \"environment\"");
    return Optional.empty();
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  /**
   * The YAML 1.2 core schema, so that {@code ~} and {@code null} mean "not set" as YAML users
   * expect. Limits that make hostile input cheap to refuse: no recursive keys, few aliases (which
   * are refused anyway) and no more code points than the byte limit allows.
   */
  private static LoadSettings settings(String sourceName) {
    return LoadSettings.builder()
        .setLabel(sourceName)
        .setAllowRecursiveKeys(false)
        .setMaxAliasesForCollections(10)
        .setCodePointLimit(MAX_BYTES + 1)
        .setUseMarks(true)
        .setSchema(new CoreSchema())
        .build();
  }
}
