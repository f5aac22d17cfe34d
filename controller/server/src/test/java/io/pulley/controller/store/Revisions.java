package io.pulley.controller.store;

import com.google.protobuf.util.Timestamps;
import io.pulley.v1.File;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionOrigin;

/** Test revisions with distinguishable content. */
final class Revisions {

  private Revisions() {}

  /** A revision of {@code application}/{@code environment} whose one file holds {@code content}. */
  static Revision of(String application, String environment, String content) {
    Manifest manifest =
        Manifest.newBuilder()
            .setApplication(application)
            .setEnvironment(environment)
            .addResources(
                Resource.newBuilder()
                    .setId("file:/etc/" + application + ".conf")
                    .setFile(
                        File.newBuilder()
                            .setPath("/etc/" + application + ".conf")
                            .setContent(content)))
            .build();
    return Revision.newBuilder()
        .setApplication(application)
        .setEnvironment(environment)
        .setManifest(manifest)
        .setContentHash("hash-of-" + content)
        .setAppliedBy("alice")
        .setAppliedAt(Timestamps.fromMillis(1_700_000_000_000L))
        .setOrigin(RevisionOrigin.REVISION_ORIGIN_APPLY)
        .build();
  }
}
