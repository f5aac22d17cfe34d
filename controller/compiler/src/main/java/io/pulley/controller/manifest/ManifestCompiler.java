package io.pulley.controller.manifest;

import io.pulley.controller.stack.HandoverWords;
import io.pulley.controller.stack.StackRenderer;
import io.pulley.v1.Manifest;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Compiles the YAML an admin writes into the manifest the controller stores: parses it against the
 * {@code pulley.v1.Manifest} schema, validates it, resolves every Git ref to a commit, appends the
 * resources its {@code stack} section renders to (after the admin's own) and writes the resources'
 * defaults in. The stored manifest keeps {@code stack} too, as written, so a revision shows both
 * forms; the stack's defaults go only into the copy that is rendered ({@link
 * io.pulley.controller.stack.StackDefaults}). Thread-safe: each call keeps its state to itself.
 */
public final class ManifestCompiler {

  private final GitRefResolver resolver;
  private final Optional<RemoteAccess> access;
  private final YamlManifestReader reader = new YamlManifestReader();

  /**
   * A compiler that reads remotes without looking secrets up: a deploy key or token a manifest
   * names is not sent, and whether it is set is left to the caller.
   */
  public ManifestCompiler(GitRefResolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.access = Optional.empty();
  }

  /**
   * A compiler that reads private remotes with the secrets and trusted host keys {@code access}
   * gives; a secret a manifest names that is not set is a mistake in the manifest.
   */
  public ManifestCompiler(GitRefResolver resolver, RemoteAccess access) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.access = Optional.of(access);
  }

  /**
   * A compiler like this one that resolves {@code ref} of the remote at {@code url} to {@code
   * commit} without asking the remote: a release promoted from another environment, or kept by an
   * apply, is compiled at the commit its hosts ran.
   */
  public ManifestCompiler pinning(String url, String ref, String commit) {
    GitRefResolver pinned = new PinnedRef(resolver, url, ref, commit);
    return access
        .map(a -> new ManifestCompiler(pinned, a))
        .orElseGet(() -> new ManifestCompiler(pinned));
  }

  /**
   * Compiles {@code yamlText}; {@code sourceName} (such as the file name) labels it. Every mistake
   * the structure allows finding is reported at once; refs are resolved only for a manifest without
   * mistakes, so a typo never costs a network call.
   */
  public CompileResult compile(String yamlText, String sourceName) {
    return compile(yamlText, sourceName, manifest -> {});
  }

  /**
   * Compiles {@code yamlText} with {@code adjust} applied to the parsed manifest before it is
   * checked: tracking compiles an admin's manifest again with a new Git ref this way.
   */
  public CompileResult compile(
      String yamlText, String sourceName, Consumer<Manifest.Builder> adjust) {
    Objects.requireNonNull(yamlText, "yamlText");
    Objects.requireNonNull(sourceName, "sourceName");
    Problems problems = new Problems();
    Positions positions = new Positions();
    Optional<Manifest.Builder> parsed = reader.read(yamlText, sourceName, problems, positions);
    if (parsed.isEmpty()) {
      return CompileResult.failure(problems.list());
    }
    adjust.accept(parsed.get());
    // YAML never fills the deprecated handover word, but a builder adjusted from a stored revision
    // could carry it; the stored manifest holds only the enum.
    Manifest.Builder manifest = HandoverWords.withMode(parsed.get().build()).toBuilder();
    new ManifestValidator(problems, positions).validate(manifest.build());
    if (!problems.isEmpty()) {
      return CompileResult.failure(problems.list());
    }
    new ReleaseResolver(resolver, access, new Checks(problems, positions)).resolveAll(manifest);
    if (!problems.isEmpty()) {
      return CompileResult.failure(problems.list());
    }
    int ownCount = manifest.getResourcesCount();
    manifest.addAllResources(StackRenderer.render(manifest.build()));
    new RenderedChecks(new Checks(problems, positions)).validate(manifest.build(), ownCount);
    if (!problems.isEmpty()) {
      return CompileResult.failure(problems.list());
    }
    ManifestDefaults.fill(manifest);
    return CompileResult.success(manifest.build());
  }
}
