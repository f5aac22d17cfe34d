package io.pulley.controller.revisions;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.CodeSettings;
import io.pulley.controller.manifest.CompileResult;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.v1.Manifest;
import io.pulley.v1.Revision;
import io.pulley.v1.StackGit;
import java.util.Optional;
import java.util.function.Function;

/**
 * An apply of a manifest with a {@code promote} rule keeps the release the environment runs by
 * promotion: the commit and code-side settings it was promoted to (or kept by an earlier apply, or
 * rolled back to), never its YAML's ref resolved again, which would deploy what the source
 * environment has not proven. Everything else comes from the YAML, as in any apply; the next
 * promotion brings the source's code. An environment that never was promoted to deploys its YAML's
 * ref. Stateless.
 */
final class KeptRelease {
  /** What an apply compiled, and the revision whose release it kept, if it kept one. */
  record Compiled(CompileResult result, Optional<Revision> kept) {}

  private KeptRelease() {}

  static Compiled compile(
      ManifestCompiler compiler,
      String yaml,
      String sourceName,
      Function<AppEnv, Optional<Revision>> current) {
    CompileResult plain = compiler.compile(yaml, sourceName);
    if (!plain.ok() || !plain.manifest().orElseThrow().hasPromote()) {
      return new Compiled(plain, Optional.empty());
    }
    Manifest manifest = plain.manifest().orElseThrow();
    Optional<Revision> kept =
        current.apply(AppEnv.of(manifest)).filter(revision -> keepable(revision, manifest));
    if (kept.isEmpty()) {
      return new Compiled(plain, Optional.empty());
    }
    StackGit git = kept.get().getManifest().getStack().getGit();
    CompileResult again =
        compiler
            .pinning(git.getUrl(), git.getRef(), git.getCommit())
            .compile(
                yaml,
                sourceName,
                builder ->
                    CodeSettings.carry(
                        kept.get().getManifest().getStack(), builder.getStackBuilder()));
    return new Compiled(again, kept);
  }

  /** What the admin is told about a release kept. */
  static String notice(Revision kept) {
    StackGit git = kept.getManifest().getStack().getGit();
    return "kept the release promoted from "
        + kept.getPromotedFrom().getEnvironment()
        + " revision "
        + kept.getPromotedFrom().getRevision()
        + " ("
        + git.getRef()
        + " at "
        + git.getCommit().substring(0, Math.min(12, git.getCommit().length()))
        + ") with its code-side settings, as the promote rule asks; the next promotion brings "
        + kept.getPromotedFrom().getEnvironment()
        + "'s";
  }

  // The same remote: a manifest moved to another repository starts again from its own ref.
  private static boolean keepable(Revision current, Manifest applied) {
    StackGit git = current.getManifest().getStack().getGit();
    return current.hasPromotedFrom()
        && !git.getCommit().isEmpty()
        && git.getUrl().equals(applied.getStack().getGit().getUrl());
  }
}
