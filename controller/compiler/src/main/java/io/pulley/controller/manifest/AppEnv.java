package io.pulley.controller.manifest;

import io.pulley.v1.Manifest;
import io.pulley.v1.Revision;
import io.pulley.v1.Rollout;
import java.util.Objects;

/**
 * An application in one environment: what a manifest describes, and what revisions, rollouts,
 * secrets and tracking are kept per. Immutable; equal when both names are. Whether the names are
 * valid is {@link ManifestNames}'s question, asked where names come in.
 */
public record AppEnv(String application, String environment) implements Comparable<AppEnv> {
  public AppEnv {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(environment, "environment");
  }

  public static AppEnv of(Manifest manifest) {
    return new AppEnv(manifest.getApplication(), manifest.getEnvironment());
  }

  public static AppEnv of(Revision revision) {
    return new AppEnv(revision.getApplication(), revision.getEnvironment());
  }

  public static AppEnv of(Rollout rollout) {
    return new AppEnv(rollout.getApplication(), rollout.getEnvironment());
  }

  @Override
  public int compareTo(AppEnv other) {
    int byApplication = application.compareTo(other.application);
    return byApplication != 0 ? byApplication : environment.compareTo(other.environment);
  }

  /** "shop/production", as logs, errors and the CLI write it. */
  @Override
  public String toString() {
    return application + "/" + environment;
  }
}
