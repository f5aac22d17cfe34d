package io.pulley.controller.revisions;

import io.pulley.controller.stack.StackDefaults;
import io.pulley.v1.Manifest;
import io.pulley.v1.Revision;
import io.pulley.v1.StackRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Gives a stack whose manifest leaves its Redis databases out databases of its own, so that two
 * applications on one host never read each other's cache or Celery tasks by default. A database the
 * manifest leaves out keeps what the application's previous revision had (its cache and queued
 * tasks stay where they are); otherwise it is the default (cache 1, broker 3) unless another
 * application that could share a host uses it, then the lowest free one. Only a choice that differs
 * from the default is written into the stored manifest, so a manifest applied again stays the same
 * revision. Stateless.
 */
final class RedisDatabases {
  /** Databases 1–15: 0 is Redis's default, where tools and other programs write unasked. */
  private static final int FIRST = 1;

  private static final int LAST = 15;

  private RedisDatabases() {}

  /** What the stack gets, and a notice for the admin for each database chosen now. */
  record Assigned(Manifest manifest, List<String> notices) {}

  static Assigned assign(Manifest incoming, Optional<Revision> previous, List<Revision> current) {
    if (!incoming.hasStack() || !incoming.getStack().hasRedis()) {
      return new Assigned(incoming, List.of());
    }
    StackRedis given = incoming.getStack().getRedis();
    StackRedis before =
        previous
            .map(Revision::getManifest)
            .filter(m -> m.hasStack() && m.getStack().hasRedis())
            .map(m -> m.getStack().getRedis())
            .orElse(StackRedis.getDefaultInstance());
    TreeMap<Integer, String> taken = takenByOthers(incoming, current);
    List<String> notices = new ArrayList<>();
    int cache = given.getCacheDb() != 0 ? given.getCacheDb() : before.getCacheDb();
    int broker = given.getBrokerDb() != 0 ? given.getBrokerDb() : before.getBrokerDb();
    if (cache == 0) {
      cache = choose("cache_db", StackDefaults.CACHE_DB, broker, taken, notices);
    }
    if (broker == 0) {
      broker = choose("broker_db", StackDefaults.BROKER_DB, cache, taken, notices);
    }
    StackRedis.Builder redis = given.toBuilder().clearCacheDb().clearBrokerDb();
    if (cache != StackDefaults.CACHE_DB) {
      redis.setCacheDb(cache);
    }
    if (broker != StackDefaults.BROKER_DB) {
      redis.setBrokerDb(broker);
    }
    Manifest.Builder assigned = incoming.toBuilder();
    assigned.getStackBuilder().setRedis(redis);
    return new Assigned(assigned.build(), notices);
  }

  /**
   * The default, or when the other field or another stack holds it, the lowest free database; 0
   * when none is free (the collision check then names who holds them all).
   */
  private static int choose(
      String field, int fallback, int other, TreeMap<Integer, String> taken, List<String> notices) {
    if (fallback != other && !taken.containsKey(fallback)) {
      return fallback;
    }
    for (int db = FIRST; db <= LAST; db++) {
      if (db != other && !taken.containsKey(db)) {
        notices.add(
            "stack.redis."
                + field
                + ": Redis database "
                + db
                + " chosen, as "
                + (fallback == other
                    ? "this stack's other database is " + other
                    : taken.get(fallback) + " uses " + fallback + " on hosts these could share")
                + "; it stays with this stack until its manifest names another");
        return db;
      }
    }
    return fallback;
  }

  /** The Redis databases of other stacks that could share a host, with who uses each. */
  private static TreeMap<Integer, String> takenByOthers(Manifest incoming, List<Revision> current) {
    TreeMap<Integer, String> taken = new TreeMap<>();
    for (Manifest other : StackCollisions.neighbours(incoming, current)) {
      if (other.getStack().hasRedis()) {
        StackRedis theirs = StackDefaults.filled(other).getRedis();
        taken.putIfAbsent(theirs.getCacheDb(), StackCollisions.who(other));
        taken.putIfAbsent(theirs.getBrokerDb(), StackCollisions.who(other));
      }
    }
    return taken;
  }
}
