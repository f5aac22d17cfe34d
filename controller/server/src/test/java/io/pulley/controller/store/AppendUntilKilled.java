package io.pulley.controller.store;

import java.nio.file.Path;

/**
 * Child process for the kill -9 test: appends revisions to the store in {@code args[0]} until
 * killed, printing {@code ack N} only after the append of revision N has returned.
 */
public final class AppendUntilKilled {

  static final String ACK = "ack ";

  private AppendUntilKilled() {}

  public static void main(String[] args) {
    try (SqliteStore store = SqliteStore.open(Path.of(args[0]))) {
      for (int i = 0; ; i++) {
        long number = store.appendRevision(Revisions.of("shop", "production", "v" + i)).getNumber();
        System.out.println(ACK + number);
        System.out.flush();
      }
    }
  }
}
