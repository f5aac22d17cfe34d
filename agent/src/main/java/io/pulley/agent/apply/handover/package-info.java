/**
 * The zero-downtime handover of a Python web application to a new release: a uWSGI instance per
 * release behind a socket link nginx follows (or one instance reloaded gracefully), and its Celery
 * worker. {@link io.pulley.agent.apply.handover.UwsgiSwitch} is how a switch works, step by step
 * ({@code StartWorker}, {@code StartWebInstance}, {@code ProveOnOwnSocket}, {@code SwitchLinks},
 * {@code CheckSite}, {@code GracefulReload}, {@code RetireWebInstances}, {@code RetireWorkers}, …),
 * with what each step undoes in {@link io.pulley.agent.apply.handover.UndoStack}; {@link
 * io.pulley.agent.apply.handover.HandoverExecutor} checks a request and reports the result.
 */
package io.pulley.agent.apply.handover;
