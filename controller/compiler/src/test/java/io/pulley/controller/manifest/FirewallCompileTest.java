package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Firewall;
import io.pulley.v1.FirewallAllow;
import io.pulley.v1.Manifest;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Package;
import io.pulley.v1.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The firewall, written as the stack's section or as a resource: rendered with the site's ports,
 * checked field by field, and one per application.
 */
class FirewallCompileTest {

  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  private static String stack(String site, String firewall) {
    return """
        application: shop
        environment: production
        stack:
          git: {url: "https://git.example.com/shop.git", ref: main}
          web: {wsgi: shop.wsgi}
          site: %s
          firewall: %s
        """
        .formatted(site, firewall);
  }

  private Manifest compiled(String yaml) {
    CompileResult result = compiler.compile(yaml, "shop.yaml");
    assertThat(result.errors()).isEmpty();
    return result.manifest().orElseThrow();
  }

  private List<ManifestError> errorsOf(String yaml) {
    CompileResult result = compiler.compile(yaml, "shop.yaml");
    assertThat(result.ok()).as("expected errors").isFalse();
    return result.errors();
  }

  private static Resource byId(Manifest manifest, String id) {
    return manifest.getResourcesList().stream()
        .filter(r -> r.getId().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + id));
  }

  @Test
  void stackFirewall_opensTheSitesPortsThenItsOwn_andInstallsNftables() {
    Manifest manifest =
        compiled(
            stack(
                "{domains: [shop.example.com], http_port: 8080, tls: {certificate: /etc/c.pem,"
                    + " key: /etc/k.pem, port: 8443}}",
                "{allow: [{port: 5432, from: [10.1.0.0/16]}, {port: 53, protocol: udp}],"
                    + " deny_from: [\"2001:db8::/32\"], ssh_ports: [2222], confirm_seconds: 60}"));

    Firewall firewall = byId(manifest, "firewall").getFirewall();
    assertThat(firewall.getAllowList())
        .extracting(FirewallAllow::getPort)
        .containsExactly(8080, 8443, 5432, 53);
    assertThat(firewall.getAllow(2).getFromList()).containsExactly("10.1.0.0/16");
    assertThat(firewall.getAllow(3).getProtocol()).isEqualTo("udp");
    assertThat(firewall.getDenyFromList()).containsExactly("2001:db8::/32");
    assertThat(firewall.getSshPortsList()).containsExactly(2222);
    assertThat(firewall.getConfirmSeconds()).isEqualTo(60);
    Package packages = byId(manifest, "package:stack").getPackage();
    assertThat(packages.getNamesList()).contains("nftables");
    // Right after the packages: the site's ports are open before nginx starts.
    List<String> ids = manifest.getResourcesList().stream().map(Resource::getId).toList();
    assertThat(ids.indexOf("firewall")).isEqualTo(ids.indexOf("package:stack") + 1);
  }

  @Test
  void emptyStackFirewall_opensPort80() {
    Firewall firewall =
        byId(compiled(stack("{domains: [shop.example.com]}", "{}")), "firewall").getFirewall();

    assertThat(firewall.getAllowList()).extracting(FirewallAllow::getPort).containsExactly(80);
  }

  @Test
  void noFirewallSection_rendersItsSitesPortsOnly_andNoNftables() {
    Manifest manifest =
        compiled(stack("{domains: [shop.example.com]}", "{}").replace("  firewall: {}\n", ""));

    Firewall ports = byId(manifest, "firewall").getFirewall();
    assertThat(ports.getPortsOnly()).isTrue();
    assertThat(ports.getAllowList()).extracting(FirewallAllow::getPort).containsExactly(80);
    assertThat(byId(manifest, "package:stack").getPackage().getNamesList())
        .doesNotContain("nftables");
  }

  @Test
  void badFirewall_namesEachField() {
    List<ManifestError> errors =
        errorsOf(
            stack(
                "{domains: [shop.example.com]}",
                "{allow: [{port: 0}, {port: 70000, protocol: sctp, from: [example.com]}],"
                    + " deny_from: [10.1.2.3/8, \"::/200\"], ssh_ports: [-1], confirm_seconds:"
                    + " 5}"));

    assertThat(errors)
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.firewall.allow[0].port",
            "stack.firewall.allow[1].port",
            "stack.firewall.allow[1].protocol",
            "stack.firewall.allow[1].from[0]",
            "stack.firewall.deny_from[0]",
            "stack.firewall.deny_from[1]",
            "stack.firewall.ssh_ports[0]",
            "stack.firewall.confirm_seconds");
    assertThat(errors)
        .extracting(ManifestError::getReason)
        .contains(
            "10.1.2.3/8 has bits set past its /8 prefix; the network is 10.0.0.0/8",
            "\"example.com\" is not an IPv4 or IPv6 address");
  }

  @Test
  void firewallResource_isCheckedTheSameWay_andNamedFirewall() {
    String yaml =
        """
        application: shop
        environment: production
        resources:
          - firewall: {allow: [{port: 443}], deny_from: [203.0.113.0/24]}
        """;
    assertThat(compiled(yaml).getResources(0).getId()).isEqualTo("firewall");
    assertThat(compiled(yaml).getResources(0).getFirewall().getPortsOnly()).isFalse();

    assertThat(errorsOf(yaml.replace("203.0.113.0/24", "203.0.113.0/33")))
        .extracting(ManifestError::getField)
        .containsExactly("resources[0].firewall.deny_from[0]");
  }

  @Test
  void firewallResource_besideAStack_orASecondOne_isRefused() {
    String withStack =
        stack("{domains: [shop.example.com]}", "{}")
            + "resources:\n  - firewall: {allow: [{port: 8080}]}\n";
    assertThat(errorsOf(withStack))
        .extracting(ManifestError::getField)
        .containsExactly("resources[0].firewall");

    String two =
        """
        application: shop
        environment: production
        resources:
          - firewall: {allow: [{port: 443}]}
          - {id: more, firewall: {allow: [{port: 8443}]}}
          - {id: odd, firewall: {ports_only: true, ssh_ports: [2222]}}
        """;
    assertThat(errorsOf(two))
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "resources[1].firewall", "resources[2].firewall", "resources[2].firewall.ports_only");
  }
}
