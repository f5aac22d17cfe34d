package io.pulley.controller.stack;

import io.pulley.v1.HandoverMode;
import io.pulley.v1.Manifest;
import io.pulley.v1.StackWeb;
import java.util.Map;
import java.util.Optional;

/**
 * The words a manifest writes for the handover, "per-release" and "reload", and the way between the
 * two fields that have held them: the deprecated string {@code stack.web.handover}, in revisions
 * stored before the enum, and {@code stack.web.handover_mode}, in everything since. Only this class
 * reads or writes the deprecated field. Stateless.
 */
public final class HandoverWords {

  private static final Map<String, HandoverMode> MODES =
      Map.of(
          "per-release", HandoverMode.HANDOVER_MODE_PER_RELEASE,
          "reload", HandoverMode.HANDOVER_MODE_RELOAD);

  private HandoverWords() {}

  /**
   * The mode {@code word} names, exactly as manifests have always written it; the empty word names
   * none (the default). Empty for any other word.
   */
  public static Optional<HandoverMode> mode(String word) {
    return word.isEmpty()
        ? Optional.of(HandoverMode.HANDOVER_MODE_UNSPECIFIED)
        : Optional.ofNullable(MODES.get(word));
  }

  /** The word of {@code mode}; empty for none. */
  public static String word(HandoverMode mode) {
    return switch (mode) {
      case HANDOVER_MODE_PER_RELEASE -> "per-release";
      case HANDOVER_MODE_RELOAD -> "reload";
      case HANDOVER_MODE_UNSPECIFIED, UNRECOGNIZED -> "";
    };
  }

  /**
   * {@code manifest} with the deprecated word of a revision stored before the enum moved into
   * {@code handover_mode}, so that nothing after this reads the word; the same manifest when it
   * holds no word.
   *
   * @throws IllegalArgumentException for a word no manifest passed validation with
   */
  @SuppressWarnings("deprecation") // moving the deprecated field out is the point
  public static Manifest withMode(Manifest manifest) {
    String word = manifest.getStack().getWeb().getHandover();
    if (word.isEmpty()) {
      return manifest;
    }
    HandoverMode mode =
        mode(word)
            .orElseThrow(
                () -> new IllegalArgumentException("unknown handover word \"" + word + "\""));
    Manifest.Builder upgraded = manifest.toBuilder();
    StackWeb.Builder web = upgraded.getStackBuilder().getWebBuilder().clearHandover();
    if (web.getHandoverMode() == HandoverMode.HANDOVER_MODE_UNSPECIFIED) {
      web.setHandoverMode(mode);
    }
    return upgraded.build();
  }

  /**
   * {@code manifest} with its {@code handover_mode} written as the deprecated word instead, as a
   * revision stored before the enum holds it: the form content hashes are taken in, so that they
   * stay what they were. The same manifest when no mode is set (or one this contract does not
   * know).
   */
  @SuppressWarnings("deprecation") // writing the deprecated field is the point
  public static Manifest withWord(Manifest manifest) {
    String word = word(manifest.getStack().getWeb().getHandoverMode());
    if (word.isEmpty()) {
      return manifest;
    }
    Manifest.Builder downgraded = manifest.toBuilder();
    downgraded.getStackBuilder().getWebBuilder().clearHandoverMode().setHandover(word);
    return downgraded.build();
  }
}
