package io.pulley.controller.rollout;

import io.pulley.v1.Revision;
import java.util.List;

/** Which revisions a host's plan is rendered from, given the current ones. */
public interface RevisionChooser {
  /** Every host gets every current revision whole: the controller without rollouts. */
  RevisionChooser CURRENT =
      new RevisionChooser() {
        @Override
        public List<Rollouts.Choice> choose(String hostId, List<Revision> current) {
          return current.stream().map(r -> new Rollouts.Choice(r, true)).toList();
        }

        @Override
        public long version() {
          return 0;
        }
      };

  /** For each current revision, what {@code hostId} gets of it; none is left out. */
  List<Rollouts.Choice> choose(String hostId, List<Revision> current);

  /** Changes whenever a choice may have; equal values mean the same choices. */
  long version();
}
