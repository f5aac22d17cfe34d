package io.pulley.controller.stack;

import static io.pulley.controller.stack.SampleStacks.full;
import static io.pulley.controller.stack.SampleStacks.manifest;
import static io.pulley.controller.stack.SampleStacks.withTls;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Resource;
import io.pulley.v1.Service;
import io.pulley.v1.Stack;
import io.pulley.v1.StackFail2ban;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackFail2banJailsTest {

  private static List<Resource> render(Stack.Builder stack) {
    return StackRenderer.render(manifest(stack));
  }

  private static Resource byId(List<Resource> resources, String id) {
    return resources.stream().filter(r -> r.getId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void withAPassword_jailsSshAndTheSitesLogins_onTheirPortsOnly() {
    Stack.Builder stack = withTls(full());
    stack.getSiteBuilder().addHtpasswd("tester:{SHA}x");
    stack.setFail2Ban(StackFail2ban.newBuilder().setMaxRetry(3).addIgnoreFrom("192.0.2.0/24"));
    stack.getFirewallBuilder().addSshPorts(2222);

    List<Resource> resources = render(stack);

    Resource jails = byId(resources, "file:fail2ban");
    assertThat(jails.getFile().getPath())
        .isEqualTo("/etc/fail2ban/jail.d/pulley-pulley-sample.local");
    assertThat(jails.getFile().getContent())
        .startsWith("# Written by Pulley from the stack section of pulley-sample/staging")
        .contains(
            "[sshd]\nenabled = true\nbackend = systemd\nport = 22,2222\nmaxretry = 3\n"
                + "findtime = 600\nbantime = 600\nignoreip = 127.0.0.1/8 ::1 192.0.2.0/24\n"
                + "banaction = nftables-multiport\n")
        .contains(
            "[pulley-pulley-sample-auth]\nenabled = true\nfilter = nginx-http-auth\n"
                + "backend = polling\nlogpath = /var/log/nginx/pulley-sample.error.log\n"
                + "port = 80,443\n");
    Service service = byId(resources, "service:fail2ban").getService();
    assertThat(service.getName()).isEqualTo("fail2ban.service");
    assertThat(service.getReloadOnList()).containsExactly("file:fail2ban");
    assertThat(byId(resources, "package:stack").getPackage().getNamesList())
        .contains("fail2ban", "python3-systemd", "nftables");
    // After nginx has loaded the site, whose error log the site's jail reads.
    List<String> ids = resources.stream().map(Resource::getId).toList();
    assertThat(ids.indexOf("file:fail2ban")).isEqualTo(ids.indexOf("service:nginx") + 1);
  }

  @Test
  void withoutAPassword_jailsSshOnly() {
    Stack.Builder stack = full().setFail2Ban(StackFail2ban.getDefaultInstance());

    String jails = byId(render(stack), "file:fail2ban").getFile().getContent();

    assertThat(jails).contains("[sshd]", "port = 22\n").doesNotContain("nginx-http-auth");
  }

  @Test
  void withoutTheSection_rendersNothingOfIt() {
    List<Resource> resources = render(full());

    assertThat(resources)
        .extracting(Resource::getId)
        .doesNotContain("file:fail2ban", "service:fail2ban");
    assertThat(byId(resources, "package:stack").getPackage().getNamesList())
        .doesNotContain("fail2ban", "nftables");
  }
}
