package io.pulley.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.HostState;
import io.pulley.v1.ResourceResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollbackNoticesTest {
  private static final AppEnv SHOP = new AppEnv("shop", "production");

  private static HostState host(String id, ResourceResult... results) {
    return HostState.newBuilder()
        .setHostId(id)
        .setLastReport(ApplyReport.newBuilder().setHostId(id).addAllResults(List.of(results)))
        .build();
  }

  private static ResourceResult result(String app, String env, String id, String reason) {
    return ResourceResult.newBuilder()
        .setApplication(app)
        .setEnvironment(env)
        .setResourceId(id)
        .setReason(reason)
        .build();
  }

  @Test
  void schemaThatChanged_isPassedOnWithItsDumpAndWhatToDo() {
    String reason =
        "the schema of shop_production changed in this release: 1 tables, 3 columns before its"
            + " commands, 1 tables, 2 columns now; the dump from before them:"
            + " /srv/shop-production/dumps/20261206T101500Z-3f2a9c1e0b7d.pgdump";

    List<String> notices =
        RollbackNotices.of(
            SHOP,
            List.of(
                host("web-1", result("shop", "production", "schema:database", reason)),
                host("web-2", result("shop", "production", "handover", "switched"))));

    assertThat(notices)
        .containsExactly(
            "web-1: "
                + reason
                + ". The code you go back to meets the newer schema; if it needs the older one,"
                + " restore that dump after the rollback (docs/stack.md, database), which also"
                + " takes back the data written since");
  }

  @Test
  void schemaAsItWas_saysNoRestoreIsNeeded() {
    String reason =
        "the schema of shop_production is as it was before this release's commands (1 tables, 3"
            + " columns); the dump from before them: /srv/x.pgdump";

    assertThat(
            RollbackNotices.of(
                SHOP,
                List.of(host("web-1", result("shop", "production", "schema:database", reason)))))
        .containsExactly("web-1: " + reason + ". Going back needs no restore");
  }

  @Test
  void otherApplications_hostsWithoutReports_andTooManyHosts_areLeftOut() {
    ResourceResult staging =
        result("shop", "staging", "schema:database", "changed in this release");
    List<HostState> many =
        java.util.stream.IntStream.range(0, 30)
            .mapToObj(
                i -> host("web-" + i, result("shop", "production", "schema:database", "unknown")))
            .toList();

    assertThat(
            RollbackNotices.of(
                SHOP, List.of(host("web-1", staging), HostState.getDefaultInstance())))
        .isEmpty();
    assertThat(RollbackNotices.of(SHOP, many)).hasSize(RollbackNotices.MAX_NOTICES);
  }
}
