package io.pulley.agent.apply.accounts;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.apply.SecretScrubber;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.CommandRunner.Invocation;
import io.pulley.agent.apply.process.CommandRunner.Result;
import io.pulley.v1.lite.Group;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Makes a system group exist ({@code groupadd --system}); an existing group is left as it is.
 * Idempotent; one apply at a time.
 */
public final class GroupExecutor implements ResourceExecutor<Group> {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final CommandRunner runner;
  private final AccountDatabase accounts;

  public GroupExecutor(CommandRunner runner) {
    this.runner = runner;
    this.accounts = new AccountDatabase(runner);
  }

  @Override
  public Convergence converge(Group spec, ApplyContext context) throws IOException {
    Optional<String> refused = AccountNames.refusal("group", spec.getName());
    if (refused.isPresent()) {
      return Convergence.failed(refused.get());
    }
    try {
      if (accounts.group(spec.getName()).isPresent()) {
        return Convergence.unchanged("group " + spec.getName() + " exists");
      }
      Invocation add = Invocation.of(List.of("groupadd", "--system", spec.getName()), TIMEOUT);
      Result r = runner.run(add);
      if (!r.succeeded()) {
        return Convergence.failed(add.display() + ": " + r.failure(TIMEOUT))
            .withOutputTail(SecretScrubber.scrub(r.outputTail(), context));
      }
      return Convergence.changed("created system group " + spec.getName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Convergence.failed("interrupted");
    }
  }
}
