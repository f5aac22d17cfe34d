package io.pulley.controller.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.pulley.controller.e2e.Cli;
import io.pulley.v1.Revision;
import io.pulley.v1.Rollout;
import java.util.Optional;

/** What the real `pulley` CLI says about one application, read through its JSON output. */
final class ControllerView {
  private final Cli cli;
  private final String application;
  private final String environment;

  ControllerView(Cli cli, String application, String environment) {
    this.cli = cli;
    this.application = application;
    this.environment = environment;
  }

  /** The current revision, or empty while there is none. */
  Optional<Revision> revision() {
    return read(Revision.newBuilder(), "revision", application, environment)
        .map(Revision.class::cast);
  }

  /** The newest rollout, or empty while there is none. */
  Optional<Rollout> rollout() {
    return read(Rollout.newBuilder(), "rollout", "status", application, environment)
        .map(Rollout.class::cast);
  }

  private Optional<Message> read(Message.Builder into, String... command) {
    String[] args = new String[command.length + 2];
    args[0] = "-o";
    args[1] = "json";
    System.arraycopy(command, 0, args, 2, command.length);
    Cli.Result result = cli.run(args);
    if (result.out().isBlank()) {
      return Optional.empty();
    }
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(result.out(), into);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("pulley " + String.join(" ", command) + ": " + result, e);
    }
    return Optional.of(into.build());
  }
}
