package io.pulley.controller.secrets;

import com.google.re2j.Pattern;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.ManifestNames;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The rules for what an admin may store as a secret. Stateless. Reasons name the field and the
 * rule, never the value.
 */
final class SecretInput {

  /** The largest value, in UTF-8 bytes: room for any SSH key or certificate chain. */
  static final int MAX_VALUE_BYTES = 64 * 1024;

  // The same rule as secret names in manifests, so every secret a manifest names can be set.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  private SecretInput() {}

  /** The first mistake in naming an application's secrets, if any. */
  static Optional<SetSecretResult.Invalid> checkOwner(AppEnv app) {
    return ManifestNames.problem("application", app.application())
        .map(reason -> new SetSecretResult.Invalid("application", reason))
        .or(
            () ->
                ManifestNames.problem("environment", app.environment())
                    .map(reason -> new SetSecretResult.Invalid("environment", reason)));
  }

  /** The first mistake in a request to set a secret, if any. */
  static Optional<SetSecretResult.Invalid> check(AppEnv app, String name, String value) {
    return checkOwner(app).or(() -> checkName(name)).or(() -> checkValue(value));
  }

  private static Optional<SetSecretResult.Invalid> checkName(String name) {
    if (name.isEmpty()) {
      return invalid("name", "a secret name is required, such as \"deploy-key\"");
    }
    if (!NAME.matcher(name).matches()) {
      return invalid(
          "name",
          // The name is not echoed: a value pasted into the wrong argument must not come back.
          "the secret name is not valid; use lower-case letters, digits and \"-\", starting with"
              + " a letter or digit, at most 63 characters");
    }
    return Optional.empty();
  }

  private static Optional<SetSecretResult.Invalid> checkValue(String value) {
    if (value.isEmpty()) {
      return invalid("value", "the value is empty");
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_VALUE_BYTES) {
      return invalid(
          "value",
          "the value is " + bytes + " bytes; at most " + MAX_VALUE_BYTES + " (64 KiB) are allowed");
    }
    return Optional.empty();
  }

  private static Optional<SetSecretResult.Invalid> invalid(String field, String reason) {
    return Optional.of(new SetSecretResult.Invalid(field, reason));
  }
}
