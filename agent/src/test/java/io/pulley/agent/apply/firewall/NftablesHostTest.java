package io.pulley.agent.apply.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.lite.Firewall;
import io.pulley.v1.lite.FirewallAllow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real nft against the kernel, in a network namespace of its own (so the machine's firewall is
 * never touched): the rulesets the agent composes load, list the same every time (what drift
 * detection compares), and replace each other in one transaction. Needs root and nftables.
 */
class NftablesHostTest {
  private static final String NAMESPACE = "pulley-nft-test-" + ProcessHandle.current().pid();

  @TempDir Path dir;
  private final NftablesHost host = new NftablesHost(List.of("ip", "netns", "exec", NAMESPACE));

  @BeforeAll
  static void createNamespace() throws Exception {
    run("ip", "netns", "add", NAMESPACE);
  }

  @AfterAll
  static void deleteNamespace() throws Exception {
    run("ip", "netns", "delete", NAMESPACE);
  }

  private static void run(String... argv) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(argv).inheritIO().start();
    assertThat(process.waitFor()).as(String.join(" ", argv)).isZero();
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static String rulesetOfTwoApplications() {
    FirewallPart shop =
        FirewallPart.render(
            FirewallPart.nameOf("shop", "production"),
            Firewall.newBuilder()
                .addAllow(FirewallAllow.newBuilder().setPort(80))
                .addAllow(
                    FirewallAllow.newBuilder()
                        .setPort(8443)
                        .setProtocol("udp")
                        .addFrom("10.0.0.0/8")
                        .addFrom("2001:db8:1::/48"))
                .addDenyFrom("203.0.113.0/24")
                .addDenyFrom("2001:db8::/32")
                .build());
    FirewallPart blog =
        FirewallPart.render(
            FirewallPart.nameOf("blog", "prod"),
            Firewall.newBuilder().addAllow(FirewallAllow.newBuilder().setPort(8080)).build());
    return HostRuleset.compose(new TreeSet<>(List.of(22, 2222)), List.of(blog, shop));
  }

  @Test
  void composedRuleset_checksLoadsAndListsTheSameOnEveryLoad() throws Exception {
    Path file = write("ruleset.nft", rulesetOfTwoApplications());

    assertThat(host.check(file)).isEmpty();
    assertThat(host.load(file)).isEmpty();
    String listed = host.listing().orElseThrow();
    assertThat(host.load(file)).isEmpty();

    assertThat(host.listing()).contains(listed);
    assertThat(listed)
        .contains("policy drop;")
        .contains("tcp dport { 22, 2222 } accept")
        .contains("ip6 saddr 2001:db8::/32 drop")
        .contains("ip saddr 10.0.0.0/8 udp dport 8443 accept")
        .contains("ip6 saddr 2001:db8:1::/48 udp dport 8443 accept")
        .contains("jump app_blog__prod_allow");
  }

  @Test
  void emptyRuleset_removesTheTable_andSucceedsWhenThereIsNone() throws Exception {
    assertThat(host.load(write("ruleset.nft", rulesetOfTwoApplications()))).isEmpty();
    Path empty = write("empty.nft", HostRuleset.EMPTY);

    assertThat(host.load(empty)).isEmpty();
    assertThat(host.listing()).isEmpty();
    assertThat(host.load(empty)).isEmpty();
  }

  @Test
  void rulesetWithAnError_isRefusedByTheCheckAndLeavesTheLoadedOneAsItIs() throws Exception {
    assertThat(host.load(write("ruleset.nft", rulesetOfTwoApplications()))).isEmpty();
    String listed = host.listing().orElseThrow();
    String broken = rulesetOfTwoApplications().replace("tcp dport 8080", "tcp dport 80800");

    assertThat(host.check(write("broken.nft", broken)).orElseThrow())
        .startsWith("exit status 1: ")
        .contains("80800");
    assertThat(host.load(write("broken.nft", broken))).isPresent();

    assertThat(host.listing()).contains(listed);
  }
}
