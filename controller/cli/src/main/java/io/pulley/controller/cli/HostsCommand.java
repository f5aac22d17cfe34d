package io.pulley.controller.cli;

import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostState;
import io.pulley.v1.ListHostsRequest;
import io.pulley.v1.ListHostsResponse;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

@Command(
    name = "hosts",
    description = "List every host that has polled the controller, with its facts.")
final class HostsCommand extends ClientCommand {

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    ListHostsResponse response = admin.listHosts(ListHostsRequest.getDefaultInstance());
    if (json()) {
      printJson(response);
      return ExitCodes.OK;
    }
    if (response.getHostsCount() == 0) {
      out().println("no hosts yet: start pulley-agent on a server and point it at this controller");
      out().flush();
      return ExitCodes.OK;
    }
    Instant now = Instant.now();
    TextTable table =
        new TextTable("HOST", "CONNECTED", "OS", "CPUS", "MEMORY", "LABELS", "AGENT", "LAST SEEN");
    for (HostState host : response.getHostsList()) {
      HostFacts facts = host.getFacts();
      table.row(
          host.getHostId(),
          host.getConnected() ? "yes" : "no",
          (facts.getOsId() + " " + facts.getOsVersion()).trim(),
          facts.getCpuCount(),
          String.format(Locale.ROOT, "%.1f GiB", facts.getMemoryBytes() / (1024.0 * 1024 * 1024)),
          labels(facts.getLabelsMap()),
          facts.getAgentVersion(),
          Formats.ago(host.getLastSeen(), now));
    }
    table.print(out());
    return ExitCodes.OK;
  }

  private static String labels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "-";
    }
    return new TreeMap<>(labels)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
  }
}
