package io.pulley.controller.store;

import io.pulley.controller.manifest.AppEnv;
import java.time.Instant;

/**
 * A command run once in an environment, ever, that has succeeded there: which, in which revision,
 * on which host, and when the controller heard of it. Immutable.
 *
 * @param resourceId the command's resource id, such as {@code command:init-db}
 */
public record CommandDone(
    AppEnv app, String resourceId, long revision, String hostId, Instant at) {}
