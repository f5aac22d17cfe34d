package io.pulley.agent.apply;

import java.nio.file.Path;
import java.util.Map;

/** Apply contexts for executor tests. */
public final class Contexts {
  private Contexts() {}

  /** An application "app" in "test" with no secrets, keeping executor state in {@code dir}. */
  public static ApplyContext plain(Path dir) {
    return new ApplyContext("app", "test", 1, Map.of(), dir);
  }

  /** An application "app" in "test" applied from {@code revision}. */
  public static ApplyContext atRevision(Path dir, long revision) {
    return new ApplyContext("app", "test", revision, Map.of(), dir);
  }

  /** The same with {@code secrets}. */
  public static ApplyContext withSecrets(Path dir, Map<String, String> secrets) {
    return new ApplyContext("app", "test", 1, secrets, dir);
  }

  /** A context in which the resources {@code changed} changed earlier in the apply. */
  public static ApplyContext afterChanges(Path dir, String... changed) {
    ApplyContext context = plain(dir);
    for (String id : changed) {
      context.markChanged(id);
    }
    return context;
  }
}
