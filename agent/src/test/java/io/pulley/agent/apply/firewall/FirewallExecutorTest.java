package io.pulley.agent.apply.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.v1.lite.Firewall;
import io.pulley.v1.lite.FirewallAllow;
import io.pulley.v1.lite.ResourceOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirewallExecutorTest {
  private static final Firewall SITE =
      Firewall.newBuilder()
          .addAllow(FirewallAllow.newBuilder().setPort(80))
          .addAllow(FirewallAllow.newBuilder().setPort(443))
          .build();

  @TempDir Path dir;
  private final RecordingFirewall host = new RecordingFirewall();
  private Optional<String> controllerAnswer = Optional.empty();

  private FirewallExecutor executor() {
    return new FirewallExecutor(
        host, within -> controllerAnswer, new FirewallFiles(dir.resolve("firewall")));
  }

  private Convergence apply(Firewall spec) throws IOException {
    return executor().converge(spec, Contexts.plain(dir));
  }

  @Test
  void firstApply_checksArmsTheRevertBeforeLoadingAndConfirmsThroughTheController()
      throws IOException {
    Convergence result = apply(SITE);

    assertThat(result.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(result.reason()).contains("the controller answered").contains("ssh [22]");
    assertThat(host.calls)
        .containsExactly(
            "check candidate.nft",
            "arm revert.nft 30s",
            "load candidate.nft",
            "disarm",
            "at boot ruleset.nft");
    assertThat(host.loaded.orElseThrow()).contains("tcp dport 80 accept", "tcp dport 443 accept");
    assertThat(dir.resolve("firewall/ruleset.nft")).hasContent(host.loaded.orElseThrow());
    assertThat(dir.resolve("firewall/candidate.nft")).doesNotExist();
    assertThat(dir.resolve("firewall/revert.nft")).doesNotExist();
  }

  @Test
  void sameSpecAgain_changesNothingAndLoadsNothing() throws IOException {
    apply(SITE);
    host.calls.clear();

    Convergence again = apply(SITE);

    assertThat(again.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(host.calls).containsExactly("at boot ruleset.nft");
  }

  @Test
  void controllerUnreachable_loadsThePreviousRulesetAtOnceAndConfirmsNothing() throws IOException {
    apply(SITE);
    String confirmed = host.loaded.orElseThrow();
    host.calls.clear();
    controllerAnswer = Optional.of("169.254.77.1:7400 did not answer within 20s: timed out");

    Convergence cut =
        apply(SITE.toBuilder().addDenyFrom("169.254.0.0/16").setConfirmSeconds(30).build());

    assertThat(cut.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(cut.reason())
        .startsWith("the new ruleset cut this host off from its controller (169.254.77.1:7400")
        .endsWith("the previous ruleset is back");
    assertThat(host.calls)
        .containsExactly(
            "check candidate.nft",
            "arm revert.nft 30s",
            "load candidate.nft",
            "load revert.nft",
            "disarm");
    assertThat(host.loaded).contains(confirmed);
    assertThat(dir.resolve("firewall/ruleset.nft")).hasContent(confirmed);
  }

  @Test
  void controllerUnreachableOnTheFirstRuleset_removesTheTableAgain() throws IOException {
    controllerAnswer = Optional.of("no answer");

    Convergence cut = apply(SITE);

    assertThat(cut.failed()).isTrue();
    assertThat(host.loaded).isEmpty();
    assertThat(dir.resolve("firewall/ruleset.nft")).doesNotExist();
  }

  @Test
  void rulesetNftRefuses_changesNothing() throws IOException {
    host.checkFailure = Optional.of("exit status 1: Error: syntax error");

    Convergence refused = apply(SITE);

    assertThat(refused.reason())
        .isEqualTo(
            "the ruleset does not load, nothing changed: nft --check: exit status 1: Error: syntax"
                + " error");
    assertThat(host.calls).containsExactly("check candidate.nft");
    assertThat(host.loaded).isEmpty();
  }

  @Test
  void revertCannotBeArmed_loadsNothing() throws IOException {
    host.armFailure = Optional.of("exit status 1: Failed to connect to bus");

    Convergence refused = apply(SITE);

    assertThat(refused.reason()).startsWith("nothing changed: the revert could not be armed");
    assertThat(host.calls).doesNotContain("load candidate.nft");
  }

  @Test
  void rulesetFlushedBySomeoneElse_isLoadedAgainAndReportedAsDrift() throws IOException {
    apply(SITE);
    host.loaded = Optional.empty();

    Convergence restored = apply(SITE);

    assertThat(restored.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(restored.drift()).isEqualTo("table inet pulley was gone");
    assertThat(host.loaded).isPresent();
  }

  @Test
  void sshComesFirst_withSshdsOwnPortsAnd22() throws IOException {
    host.sshd.add(2222);

    apply(SITE.toBuilder().addSshPorts(2200).addDenyFrom("0.0.0.0/0").build());

    String ruleset = host.loaded.orElseThrow();
    String input = ruleset.substring(ruleset.indexOf("chain input"));
    assertThat(input.lines().skip(2).findFirst().orElseThrow())
        .contains("tcp dport { 22, 2200, 2222 } accept");
    assertThat(input.indexOf("jump app_app__test_deny"))
        .isLessThan(input.indexOf("ct state established"));
    assertThat(input.indexOf("ct state established"))
        .isLessThan(input.indexOf("jump app_app__test_allow"));
  }

  @Test
  void twoApplications_eachKeepsItsPartInTheHostsRuleset() throws IOException {
    apply(SITE);
    ApplyContext other = new ApplyContext("blog", "prod", 1, Map.of(), dir);
    Firewall blog =
        Firewall.newBuilder().addAllow(FirewallAllow.newBuilder().setPort(8080)).build();

    assertThat(executor().converge(blog, other).changed()).isTrue();

    String ruleset = host.loaded.orElseThrow();
    assertThat(ruleset).contains("chain app_app__test_allow", "chain app_blog__prod_allow");
    assertThat(ruleset).contains("tcp dport 80 accept", "tcp dport 8080 accept");
    assertThat(Files.list(dir.resolve("firewall/parts"))).hasSize(2);
    assertThat(apply(SITE).outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
  }

  @Test
  void invalidNetworkInThePlan_failsWithItsFieldBeforeAnythingRuns() throws IOException {
    Convergence refused = apply(SITE.toBuilder().addDenyFrom("example.com").build());

    assertThat(refused.reason())
        .isEqualTo("firewall.deny_from[0]: \"example.com\" is not an IPv4 or IPv6 address");
    assertThat(host.calls).isEmpty();
  }

  @Test
  void portsOnlyPartAlone_touchesNoFirewall() throws IOException {
    Firewall portsOnly = SITE.toBuilder().setPortsOnly(true).build();

    Convergence first = apply(portsOnly);
    Convergence again = apply(portsOnly);

    assertThat(first.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(again.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(again.reason()).startsWith("no application on this host turns the firewall on");
    assertThat(host.calls).isEmpty();
    assertThat(host.loaded).isEmpty();
  }

  @Test
  void portsOnlyPart_isOpenOnceAnotherApplicationTurnsTheFirewallOn() throws IOException {
    apply(
        Firewall.newBuilder()
            .setPortsOnly(true)
            .addAllow(FirewallAllow.newBuilder().setPort(8443))
            .build());
    ApplyContext other = new ApplyContext("blog", "prod", 1, Map.of(), dir);

    assertThat(executor().converge(SITE, other).changed()).isTrue();

    String ruleset = host.loaded.orElseThrow();
    assertThat(ruleset).contains("tcp dport 8443 accept", "tcp dport 80 accept", "policy drop");
  }

  @Test
  void lastPartThatTurnsItOnBecomingPortsOnly_removesTheTable_andNothingLoadsAtBoot()
      throws IOException {
    apply(SITE);
    host.calls.clear();

    Convergence off = apply(SITE.toBuilder().setPortsOnly(true).build());

    assertThat(off.reason()).startsWith("removed table inet pulley: no application");
    assertThat(host.calls).containsExactly("load candidate.nft");
    assertThat(host.loaded).isEmpty();
    assertThat(dir.resolve("firewall/ruleset.nft")).doesNotExist();
    assertThat(apply(SITE.toBuilder().setPortsOnly(true).build()).changed()).isFalse();
  }

  @Test
  void portsOnlyWithNetworks_isRefused() throws IOException {
    Convergence refused =
        apply(SITE.toBuilder().setPortsOnly(true).addDenyFrom("203.0.113.0/24").build());

    assertThat(refused.reason()).startsWith("firewall.ports_only:");
    assertThat(host.calls).isEmpty();
  }
}
