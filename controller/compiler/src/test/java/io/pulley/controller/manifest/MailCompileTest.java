package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailCompileTest {

  private static final String CA =
      """
      -----BEGIN CERTIFICATE-----
      MIIBhTCCASugAwIBAgIUfly22WoMD8Za1Em76JpInMoVOCMwCgYIKoZIzj0EAwIw
      GDEWMBQGA1UEAwwNcmVsYXktdGVzdC1jYTAeFw0yNjEyMDYxNTU1MzZaFw0zNjEy
      MDMxNTU1MzZaMBgxFjAUBgNVBAMMDXJlbGF5LXRlc3QtY2EwWTATBgcqhkjOPQIB
      BggqhkjOPQMBBwNCAASzjKh7gnFZ+y7hAa0A8Zc3JIP3fHCE/MZF9iKmWq+rlDyn
      cqAGd+xmgGMqg67zf8YRjxiJ5Hdon9R6D+hkf9Cso1MwUTAdBgNVHQ4EFgQUDOpz
      QLudLLkC5ZxBq4YEgBroa3YwHwYDVR0jBBgwFoAUDOpzQLudLLkC5ZxBq4YEgBro
      a3YwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBXDy95y64O9uDi
      I+X80SLGrAlexFHpc9itpshG3Las5QIhAOgePXegLW4a1YnQX0+umeKg2nxJraCk
      ziJ4Y9kf7w7n
      -----END CERTIFICATE-----
      """;

  private CompileResult compile(String mail, String extra) {
    return ShopStack.compile("{domains: [shop.example.com]}", "mail: " + mail + "\n" + extra);
  }

  private static List<String> ids(CompileResult result) {
    return result.manifest().orElseThrow().getResourcesList().stream()
        .map(Resource::getId)
        .toList();
  }

  @Test
  void mail_rendersPostfix_beforeItsPackage_andTheAlert() {
    CompileResult result =
        compile(
            "{relay: smtp.example.com, username: alerts@example.com, password_secret: smtp,"
                + " root_to: [ops@example.com]}",
            "");

    assertThat(result.errors()).isEmpty();
    List<String> ids = ids(result);
    assertThat(ids.indexOf("file:postfix-main")).isLessThan(ids.indexOf("package:mail"));
    assertThat(ids)
        .containsSubsequence(
            "firewall",
            "directory:/etc/postfix",
            "file:postfix-main",
            "package:mail",
            "file:mail-password",
            "file:mail-aliases",
            "service:postfix",
            "file:disk-alert",
            "service:disk-alert",
            "service:disk-alert-timer");
  }

  @Test
  void mail_withoutLogin_needsAFromAddress_andWritesNoPasswordFile() {
    CompileResult missing = compile("{relay: smtp.example.com, root_to: [ops@example.com]}", "");
    CompileResult given =
        compile(
            "{relay: smtp.example.com, from: web@example.com, root_to: [ops@example.com],"
                + " disk_alert_percent: -1}",
            "");

    assertThat(missing.errors())
        .extracting(ManifestError::getField)
        .containsExactly("stack.mail.from");
    assertThat(given.errors()).isEmpty();
    assertThat(ids(given))
        .contains("file:postfix-main")
        .doesNotContain("file:mail-password", "file:disk-alert");
  }

  @Test
  void relayCa_certificates_areAccepted() {
    CompileResult result =
        compile(
            "{relay: smtp.example.com, from: web@example.com, root_to: [ops@example.com],"
                + " relay_ca: \""
                + CA.replace("\n", "\\n")
                + "\"}",
            "");

    assertThat(result.errors()).isEmpty();
    assertThat(ids(result)).contains("file:mail-relay-ca");
  }

  @Test
  void badMail_namesEachField() {
    CompileResult result =
        compile(
            "{relay: \"smtp example.com\", port: 70000, username: \"a b\", from: \"x$y@example.com\","
                + " root_to: [\"ops@example.com, evil@example.com\"], relay_ca: \"not a certificate\","
                + " disk_alert_percent: 100, upgrade_report: sometimes}",
            "");

    assertThat(result.errors())
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.mail.relay",
            "stack.mail.port",
            "stack.mail.username",
            "stack.mail.password_secret",
            "stack.mail.from",
            "stack.mail.root_to[0]",
            "stack.mail.relay_ca",
            "stack.mail.disk_alert_percent",
            "stack.mail.upgrade_report");
  }

  @Test
  void aPasswordWithoutALogin_isRefused_andTheRelayAndRecipientsAreRequired() {
    CompileResult result = compile("{password_secret: smtp}", "");

    assertThat(result.errors())
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.mail.relay", "stack.mail.username", "stack.mail.from", "stack.mail.root_to");
  }
}
