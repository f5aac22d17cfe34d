package io.pulley.controller.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ApproveHostRequest;
import io.pulley.v1.Enrolment;
import io.pulley.v1.EnrolmentState;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostState;
import io.pulley.v1.LabelHostRequest;
import io.pulley.v1.ListEnrolmentsRequest;
import io.pulley.v1.ListHostsRequest;
import io.pulley.v1.ListHostsResponse;
import io.pulley.v1.RemoveHostRequest;
import io.pulley.v1.RevokeHostRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "hosts",
    description =
        "List every host that has polled the controller, with its facts and enrolment; approve,"
            + " revoke, remove and label hosts.",
    subcommands = {
      HostsCommand.Approve.class,
      HostsCommand.Revoke.class,
      HostsCommand.Remove.class,
      HostsCommand.Label.class
    })
final class HostsCommand extends ClientCommand {

  @Override
  int run(ControllerConnection connection) {
    ListHostsResponse response =
        connection.admin().listHosts(ListHostsRequest.getDefaultInstance());
    if (response.getInsecure()) {
      err()
          .println(
              "pulley: WARNING: the controller runs with --insecure: plaintext, nobody is"
                  + " authenticated, anyone who reaches it can deploy and read secrets");
      err().flush();
    }
    if (json()) {
      printJson(response);
      return ExitCodes.OK;
    }
    // Without certificates there is no AccessService to ask (and no enrolment to show).
    boolean insecure = response.getInsecure() || settings().insecure();
    Optional<Map<String, Enrolment>> enrolments =
        insecure ? Optional.empty() : enrolments(connection.access());
    print(response, enrolments.orElse(Map.of()));
    return ExitCodes.OK;
  }

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    throw new IllegalStateException("hosts runs through run(ControllerConnection)");
  }

  /**
   * Enrolments by host id; empty for a caller below the admin role, who may not see them, and from
   * a controller without the AccessService.
   */
  private static Optional<Map<String, Enrolment>> enrolments(
      AccessServiceGrpc.AccessServiceBlockingStub access) {
    try {
      Map<String, Enrolment> byHost = new TreeMap<>();
      access
          .listEnrolments(ListEnrolmentsRequest.getDefaultInstance())
          .getEnrolmentsList()
          .forEach(e -> byHost.put(e.getHostId(), e));
      return Optional.of(byHost);
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNIMPLEMENTED) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private void print(ListHostsResponse response, Map<String, Enrolment> enrolments) {
    Map<String, Enrolment> notPolled = new TreeMap<>(enrolments);
    response.getHostsList().forEach(h -> notPolled.remove(h.getHostId()));
    if (response.getHostsCount() == 0 && notPolled.isEmpty()) {
      out().println("no hosts yet: start pulley-agent on a server and point it at this controller");
      out().flush();
      return;
    }
    Instant now = Instant.now();
    TextTable table =
        new TextTable(
            "HOST",
            "ENROLMENT",
            "CONNECTED",
            "OS",
            "CPUS",
            "MEMORY",
            "LABELS",
            "AGENT",
            "LAST SEEN");
    for (HostState host : response.getHostsList()) {
      HostFacts facts = host.getFacts();
      Enrolment enrolment = enrolments.get(host.getHostId());
      table.row(
          host.getHostId(),
          enrolment == null ? "-" : Formats.state(enrolment.getState()),
          host.getConnected() ? "yes" : "no",
          (facts.getOsId() + " " + facts.getOsVersion()).trim(),
          facts.getCpuCount(),
          String.format(Locale.ROOT, "%.1f GiB", facts.getMemoryBytes() / (1024.0 * 1024 * 1024)),
          Formats.labels(enrolment == null ? facts.getLabelsMap() : enrolment.getLabelsMap()),
          facts.getAgentVersion(),
          Formats.ago(host.getLastSeen(), now));
    }
    for (Enrolment enrolment : notPolled.values()) {
      table.row(
          enrolment.getHostId(),
          Formats.state(enrolment.getState()),
          "no",
          "-",
          "-",
          "-",
          pendingLabels(enrolment),
          "-",
          "never");
    }
    table.print(out());
    for (Enrolment pending : notPolled.values()) {
      if (pending.getState() == EnrolmentState.ENROLMENT_STATE_PENDING) {
        out()
            .println(
                "pending: "
                    + pending.getHostId()
                    + " from "
                    + pending.getRequestedFrom()
                    + ", key "
                    + pending.getKeyFingerprint()
                    + " (compare with the agent's log, then `pulley hosts approve "
                    + pending.getHostId()
                    + " --fingerprint ...`)");
      }
    }
    out().flush();
  }

  private static String pendingLabels(Enrolment enrolment) {
    return enrolment.getLabelsCount() > 0
        ? Formats.labels(enrolment.getLabelsMap())
        : "asks " + Formats.labels(enrolment.getRequestedLabelsMap());
  }

  @Command(
      name = "approve",
      description = "Enrol a pending host; it binds the labels it asked for, or those given.")
  static final class Approve extends AccessCommand {
    @Parameters(paramLabel = "ID")
    String hostId;

    @Option(
        names = "--fingerprint",
        paramLabel = "sha256:HEX",
        description = "The key the host logged; refused if the pending request has another")
    String fingerprint = "";

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Bind these instead")
    Map<String, String> labels = new LinkedHashMap<>();

    @Override
    int run(AccessServiceGrpc.AccessServiceBlockingStub access) {
      printEnrolment(
          access.approveHost(
              ApproveHostRequest.newBuilder()
                  .setHostId(hostId)
                  .setKeyFingerprint(fingerprint)
                  .putAllLabels(labels)
                  .setReplaceLabels(!labels.isEmpty())
                  .build()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "revoke",
      description = "Refuse every call of the host from now on, its open poll included.")
  static final class Revoke extends AccessCommand {
    @Parameters(paramLabel = "ID")
    String hostId;

    @Override
    int run(AccessServiceGrpc.AccessServiceBlockingStub access) {
      printEnrolment(access.revokeHost(RevokeHostRequest.newBuilder().setHostId(hostId).build()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove", description = "Forget the host; it may enrol again with a new token.")
  static final class Remove extends AccessCommand {
    @Parameters(paramLabel = "ID")
    String hostId;

    @Override
    int run(AccessServiceGrpc.AccessServiceBlockingStub access) {
      access.removeHost(RemoveHostRequest.newBuilder().setHostId(hostId).build());
      if (!json()) {
        out().println("host " + hostId + " removed");
        out().flush();
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "label",
      description = "Set or remove labels bound to a host; its next plan follows them.")
  static final class Label extends AccessCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String hostId;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", arity = "0..*")
    List<String> set = new ArrayList<>();

    @Option(names = "--remove", paramLabel = "KEY")
    List<String> remove = new ArrayList<>();

    @Override
    int run(AccessServiceGrpc.AccessServiceBlockingStub access) {
      LabelHostRequest.Builder request =
          LabelHostRequest.newBuilder().setHostId(hostId).addAllRemove(remove);
      for (String pair : set) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new CliException("expected KEY=VALUE, got '" + pair + "'", ExitCodes.USAGE);
        }
        request.putSet(pair.substring(0, eq), pair.substring(eq + 1));
      }
      if (request.getSetCount() == 0 && remove.isEmpty()) {
        throw new CliException("give KEY=VALUE labels to set or --remove KEY", ExitCodes.USAGE);
      }
      printEnrolment(access.labelHost(request.build()));
      return ExitCodes.OK;
    }
  }
}
