package io.pulley.controller.cli;

import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.AppPlan;
import io.pulley.v1.GetHostPlanRequest;
import io.pulley.v1.GetHostPlanResponse;
import io.pulley.v1.HostPlan;
import io.pulley.v1.Resource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "plan", description = "Show the plan a host would receive now, fully resolved.")
final class PlanCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "HOST")
  String hostId;

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    GetHostPlanResponse response =
        admin.getHostPlan(GetHostPlanRequest.newBuilder().setHostId(hostId).build());
    if (json()) {
      printJson(response);
      return ExitCodes.OK;
    }
    HostPlan plan = response.getPlan();
    out().printf("plan %s for host %s%n", plan.getPlanId(), plan.getHostId());
    if (plan.getAppsCount() == 0) {
      out().println("no application selects this host");
    }
    for (AppPlan app : plan.getAppsList()) {
      out()
          .printf(
              "%n%s/%s revision %d%n",
              app.getApplication(), app.getEnvironment(), app.getRevision());
      TextTable table = new TextTable("  #", "RESOURCE", "DETAIL");
      int index = 1;
      for (Resource resource : app.getResourcesList()) {
        table.row("  " + index++, resource.getId(), detail(resource));
      }
      table.print(out());
    }
    out().flush();
    return ExitCodes.OK;
  }

  /** "open tcp/80, tcp/443 from 10.0.0.0/8; deny 203.0.113.0/24; ssh 2222". */
  private static String firewall(io.pulley.v1.Firewall firewall) {
    StringBuilder text = new StringBuilder("open");
    String separator = " ";
    for (io.pulley.v1.FirewallAllow allow : firewall.getAllowList()) {
      text.append(separator)
          .append(allow.getProtocol().isEmpty() ? "tcp" : allow.getProtocol())
          .append('/')
          .append(allow.getPort());
      if (allow.getFromCount() > 0) {
        text.append(" from ").append(String.join(" ", allow.getFromList()));
      }
      separator = ", ";
    }
    if (firewall.getDenyFromCount() > 0) {
      text.append("; deny ").append(String.join(" ", firewall.getDenyFromList()));
    }
    if (firewall.getSshPortsCount() > 0) {
      text.append("; ssh ").append(firewall.getSshPortsList());
    }
    return text.toString();
  }

  private static String detail(Resource resource) {
    return switch (resource.getKindCase()) {
      case DIRECTORY ->
          modeOwner(resource.getDirectory().getMode(), resource.getDirectory().getOwner());
      case FILE ->
          resource.getFile().getContent().length()
              + " bytes"
              + modeOwner(resource.getFile().getMode(), resource.getFile().getOwner());
      case GIT_RELEASE ->
          resource.getGitRelease().getUrl()
              + " "
              + resource.getGitRelease().getRef()
              + " = "
              + resource.getGitRelease().getCommit()
              + ", keep "
              + resource.getGitRelease().getKeep();
      case COMMAND ->
          String.join(" ", resource.getCommand().getArgvList())
              + (resource.getCommand().getCreates().isEmpty()
                  ? ""
                  : ", creates " + resource.getCommand().getCreates())
              + (resource.getCommand().getUnlessCount() == 0
                  ? ""
                  : ", unless " + String.join(" ", resource.getCommand().getUnlessList()));
      case PACKAGE -> String.join(" ", resource.getPackage().getNamesList());
      case GROUP -> resource.getGroup().getName();
      case USER -> resource.getUser().getName() + " home " + resource.getUser().getHome();
      case VIRTUALENV -> resource.getVirtualenv().getPath();
      case SERVICE ->
          resource.getService().getName()
              + (resource.getService().getUnit().isEmpty() ? "" : " (unit rendered)")
              + on(" restart on ", resource.getService().getRestartOnList())
              + on(" reload on ", resource.getService().getReloadOnList());
      case DATABASE ->
          resource.getDatabase().getName()
              + " password secret "
              + resource.getDatabase().getPasswordSecret();
      case DATABASE_DUMP ->
          resource.getDatabaseDump().getDatabase()
              + " → "
              + resource.getDatabaseDump().getDir()
              + ", keep "
              + resource.getDatabaseDump().getKeep();
      case FIREWALL -> firewall(resource.getFirewall());
      case HEALTH_CHECK -> resource.getHealthCheck().getUrl();
      case RELEASE_LINK ->
          resource.getReleaseLink().getRoot()
              + "/current -> "
              + resource.getReleaseLink().getCommit();
      case HANDOVER ->
          resource.getHandover().getWebUnit()
              + " → "
              + resource.getHandover().getCommit()
              + ", "
              + resource
                  .getHandover()
                  .getMode()
                  .name()
                  .replace("HANDOVER_MODE_", "")
                  .toLowerCase(java.util.Locale.ROOT);
      case KIND_NOT_SET -> "?";
    };
  }

  private static String on(String label, java.util.List<String> ids) {
    return ids.isEmpty() ? "" : label + String.join(", ", ids);
  }

  private static String modeOwner(String mode, String owner) {
    return (mode.isEmpty() ? "" : " mode " + mode) + (owner.isEmpty() ? "" : " owner " + owner);
  }
}
