package io.pulley.controller.revisions;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.stack.StackDefaults;
import io.pulley.v1.HostSelector;
import io.pulley.v1.Manifest;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Revision;
import io.pulley.v1.Stack;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What two stacks cannot share when they could land on one host: a host has one Redis server, one
 * PostgreSQL cluster, one nginx and one /srv, so two applications (or one application's staging and
 * production) with the same defaults would read each other's tasks, cache and data. (Their Celery
 * queues may share names: each broker database holds its own queues.) Two stacks could share a host
 * when their host selectors could both match one host: no label they both name has different
 * values, and their host id lists (if any) meet. Stateless.
 */
final class StackCollisions {
  private StackCollisions() {}

  /** The collisions of {@code incoming} with the current revisions of other apps/environments. */
  static List<ManifestError> of(Manifest incoming, List<Revision> current) {
    List<ManifestError> errors = new ArrayList<>();
    if (!incoming.hasStack()) {
      return errors;
    }
    Stack mine = StackDefaults.filled(incoming);
    for (Manifest other : neighbours(incoming, current)) {
      collide(errors, mine, StackDefaults.filled(other), who(other));
    }
    return errors;
  }

  /** The stacks of other apps/environments whose hosts could include one of {@code incoming}'s. */
  static List<Manifest> neighbours(Manifest incoming, List<Revision> current) {
    AppEnv self = AppEnv.of(incoming);
    List<Manifest> neighbours = new ArrayList<>();
    for (Revision revision : current) {
      Manifest other = revision.getManifest();
      if (!AppEnv.of(other).equals(self)
          && other.hasStack()
          && couldShareAHost(incoming.getHosts(), other.getHosts())) {
        neighbours.add(other);
      }
    }
    return neighbours;
  }

  static String who(Manifest manifest) {
    return manifest.getApplication() + "/" + manifest.getEnvironment();
  }

  private static void collide(List<ManifestError> errors, Stack mine, Stack theirs, String who) {
    if (mine.getName().equals(theirs.getName()) || mine.getRoot().equals(theirs.getRoot())) {
      fail(errors, "stack.name", "its root " + mine.getRoot() + " and user " + mine.getName(), who);
    }
    if (mine.hasDatabase()
        && theirs.hasDatabase()
        && mine.getDatabase().getName().equals(theirs.getDatabase().getName())) {
      fail(errors, "stack.database.name", "database " + mine.getDatabase().getName(), who);
    }
    if (mine.hasRedis() && theirs.hasRedis()) {
      Set<Integer> taken = Set.of(theirs.getRedis().getCacheDb(), theirs.getRedis().getBrokerDb());
      if (taken.contains(mine.getRedis().getCacheDb())) {
        fail(errors, "stack.redis.cache_db", "Redis database " + mine.getRedis().getCacheDb(), who);
      }
      if (taken.contains(mine.getRedis().getBrokerDb())) {
        fail(
            errors,
            "stack.redis.broker_db",
            "Redis database " + mine.getRedis().getBrokerDb(),
            who);
      }
    }
    if (mine.hasMail() && theirs.hasMail()) {
      fail(errors, "stack.mail", "the host's mail (one Postfix per host)", who);
    }
    Set<String> sharedDomains = new HashSet<>(mine.getSite().getDomainsList());
    sharedDomains.retainAll(theirs.getSite().getDomainsList());
    if (!sharedDomains.isEmpty()
        && mine.getSite().getHttpPort() == theirs.getSite().getHttpPort()) {
      fail(errors, "stack.site.domains", "site " + String.join(", ", sharedDomains), who);
    }
  }

  private static void fail(List<ManifestError> errors, String field, String what, String who) {
    errors.add(
        ManifestError.newBuilder()
            .setField(field)
            .setReason(
                who
                    + " uses "
                    + what
                    + " on hosts these could share; give this stack its own (set "
                    + field
                    + ") or select hosts the other cannot match")
            .build());
  }

  /** Whether one host could match both selectors: no label disagrees and host ids meet. */
  static boolean couldShareAHost(HostSelector a, HostSelector b) {
    for (Map.Entry<String, String> label : a.getLabelsMap().entrySet()) {
      String theirs = b.getLabelsMap().get(label.getKey());
      if (theirs != null && !theirs.equals(label.getValue())) {
        return false;
      }
    }
    if (a.getHostIdsCount() > 0 && b.getHostIdsCount() > 0) {
      Set<String> ids = new HashSet<>(a.getHostIdsList());
      ids.retainAll(b.getHostIdsList());
      return !ids.isEmpty();
    }
    return true;
  }
}
