package io.pulley.agent.apply;

import java.io.IOException;

/**
 * Converges one kind of resource to its specification. The {@link Applier} runs a plan through one
 * for {@code Resource}, which routes each resource to the executor of its kind.
 *
 * <p>Implementations are idempotent: converging an already converged resource touches nothing and
 * returns UNCHANGED (commands are idempotent only through their guards). They are called from one
 * apply thread at a time and need not be thread-safe. Expected failures are returned as FAILED; an
 * exception is turned into FAILED by the {@link Applier}.
 *
 * @param <T> the resource's specification message
 */
public interface ResourceExecutor<T> {

  /**
   * Converges {@code spec}.
   *
   * @param context the application this resource belongs to: its secrets, what changed before it
   */
  Convergence converge(T spec, ApplyContext context) throws IOException;
}
