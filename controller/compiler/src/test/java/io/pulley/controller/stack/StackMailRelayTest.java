package io.pulley.controller.stack;

import static io.pulley.controller.stack.SampleStacks.full;
import static io.pulley.controller.stack.SampleStacks.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.File;
import io.pulley.v1.Resource;
import io.pulley.v1.Service;
import io.pulley.v1.ServiceState;
import io.pulley.v1.Stack;
import io.pulley.v1.StackMail;
import io.pulley.v1.StackSecurityUpgrades;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackMailRelayTest {

  private static List<Resource> render(Stack.Builder stack) {
    return StackRenderer.render(manifest(stack));
  }

  private static Resource byId(List<Resource> resources, String id) {
    return resources.stream().filter(r -> r.getId().equals(id)).findFirst().orElseThrow();
  }

  private static StackMail.Builder mail() {
    return StackMail.newBuilder()
        .setRelay("smtp.example.com")
        .setUsername("alerts@example.com")
        .setPasswordSecret("smtp")
        .addRootTo("ops@example.com")
        .addRootTo("dev@example.com");
  }

  @Test
  void postfix_relaysOverCheckedTls_withTheLogin_andListensNowhere() {
    List<Resource> resources = render(full().setMail(mail()));

    String main = byId(resources, "file:postfix-main").getFile().getContent();
    assertThat(main)
        .startsWith("# Written by Pulley from the stack section of pulley-sample/staging")
        .contains(
            "master_service_disable = inet\n",
            "inet_interfaces = loopback-only\n",
            "relayhost = [smtp.example.com]:587\n",
            "smtp_tls_security_level = secure\n",
            "smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt\n",
            "smtp_sasl_auth_enable = yes\n",
            "smtp_sasl_password_maps = texthash:/etc/postfix/pulley-relay-password\n",
            "sender_canonical_maps = static:alerts@example.com\n",
            "alias_maps = texthash:/etc/postfix/pulley-aliases\n")
        .doesNotContain("wrappermode");
    File password = byId(resources, "file:mail-password").getFile();
    assertThat(password.getContent())
        .endsWith("[smtp.example.com]:587 alerts@example.com:${secret:smtp|line}\n");
    assertThat(password.getSensitive()).isTrue();
    assertThat(password.getMode()).isEqualTo("0600");
    assertThat(byId(resources, "file:mail-aliases").getFile().getContent())
        .endsWith("postmaster root\nroot ops@example.com, dev@example.com\n");
    Service postfix = byId(resources, "service:postfix").getService();
    assertThat(postfix.getRestartOnList()).containsExactly("file:postfix-main");
    assertThat(postfix.getReloadOnList())
        .containsExactly("file:mail-aliases", "file:mail-password");
    assertThat(postfix.getProbe().getArgvList()).containsExactly("postfix", "status");
  }

  @Test
  void port465_isTlsFromTheFirstByte_andARelayCa_replacesTheSystemsAuthorities() {
    List<Resource> resources =
        render(full().setMail(mail().setPort(465).setRelayCa("-----BEGIN CERTIFICATE-----\nx")));

    assertThat(byId(resources, "file:postfix-main").getFile().getContent())
        .contains(
            "relayhost = [smtp.example.com]:465\n",
            "smtp_tls_wrappermode = yes\n",
            "smtp_tls_CAfile = /etc/postfix/pulley-relay-ca.pem\n");
    assertThat(byId(resources, "file:mail-relay-ca").getFile().getContent())
        .isEqualTo("-----BEGIN CERTIFICATE-----\nx\n");
    assertThat(byId(resources, "service:postfix").getService().getReloadOnList())
        .contains("file:mail-relay-ca");
  }

  @Test
  void diskAlert_isAnHourlyTimer_overAStoppedOneshot_atTheThreshold() {
    List<Resource> resources = render(full().setMail(mail().setDiskAlertPercent(90)));

    assertThat(byId(resources, "file:disk-alert").getFile().getContent())
        .contains("awk -v limit=90 ", "Subject: %s: disk usage at 90%% or more", "sendmail -oi -t");
    Service oneshot = byId(resources, "service:disk-alert").getService();
    assertThat(oneshot.getName()).isEqualTo("pulley-disk-alert.service");
    assertThat(oneshot.getState()).isEqualTo(ServiceState.SERVICE_STATE_STOPPED);
    assertThat(oneshot.getDisabled()).isTrue();
    assertThat(oneshot.getUnit()).contains("ExecStart=/bin/sh /etc/pulley/mail/disk-alert\n");
    Service timer = byId(resources, "service:disk-alert-timer").getService();
    assertThat(timer.getName()).isEqualTo("pulley-disk-alert.timer");
    assertThat(timer.getUnit()).contains("OnCalendar=hourly\n", "WantedBy=timers.target\n");
  }

  @Test
  void defaults_80Percent_andUpgradeReportsOnChange_toRoot() {
    List<Resource> resources =
        render(
            full().setMail(mail()).setSecurityUpgrades(StackSecurityUpgrades.getDefaultInstance()));

    assertThat(byId(resources, "file:disk-alert").getFile().getContent())
        .contains("awk -v limit=80 ");
    assertThat(byId(resources, "file:security-upgrades").getFile().getContent())
        .contains(
            "Unattended-Upgrade::Mail \"root\";\nUnattended-Upgrade::MailReport \"on-change\";\n");
  }

  @Test
  void withoutMail_nothingOfPostfix_andNoUpgradeMail() {
    List<Resource> resources =
        render(full().setSecurityUpgrades(StackSecurityUpgrades.getDefaultInstance()));

    assertThat(resources)
        .extracting(Resource::getId)
        .doesNotContain("file:postfix-main", "package:mail", "service:postfix", "file:disk-alert");
    assertThat(byId(resources, "file:security-upgrades").getFile().getContent())
        .doesNotContain("Mail");
  }
}
