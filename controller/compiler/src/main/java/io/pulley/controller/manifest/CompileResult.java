package io.pulley.controller.manifest;

import io.pulley.v1.Manifest;
import io.pulley.v1.ManifestError;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of compiling a manifest: the resolved manifest with its defaults filled in, or every
 * mistake found. A result with errors carries no manifest.
 */
public record CompileResult(Optional<Manifest> manifest, List<ManifestError> errors) {

  public CompileResult {
    Objects.requireNonNull(manifest, "manifest");
    errors = List.copyOf(errors);
  }

  static CompileResult success(Manifest manifest) {
    return new CompileResult(Optional.of(manifest), List.of());
  }

  static CompileResult failure(List<ManifestError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a failed compilation needs at least one error");
    }
    return new CompileResult(Optional.empty(), errors);
  }

  /** True when the manifest compiled without a single error. */
  public boolean ok() {
    return errors.isEmpty() && manifest.isPresent();
  }
}
