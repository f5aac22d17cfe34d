package io.pulley.controller.stack;

import static io.pulley.controller.stack.SampleStacks.full;
import static io.pulley.controller.stack.SampleStacks.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Command;
import io.pulley.v1.File;
import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import io.pulley.v1.StackAcme;
import io.pulley.v1.StackTls;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackAcmeCertificateTest {
  private static final String LIVE = "/etc/letsencrypt/live/pulley-sample";

  private static Stack.Builder acme(StackAcme.Builder acme) {
    Stack.Builder stack = full();
    stack.getSiteBuilder().setTls(StackTls.newBuilder().setAcme(acme));
    return stack;
  }

  private static List<Resource> render(Stack.Builder stack) {
    return StackRenderer.render(manifest(stack));
  }

  private static Resource byId(List<Resource> resources, String id) {
    return resources.stream().filter(r -> r.getId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void theSiteServesHttp_andRedirectsEachLocationOnceTheHttpsServersFileExists() {
    List<Resource> resources = render(acme(StackAcme.newBuilder().setEmail("ops@example.com")));

    String site = byId(resources, "file:nginx-site").getFile().getContent();
    String redirect =
        "        if (-f /etc/nginx/sites-enabled/pulley-sample.tls.conf) {\n"
            + "            return 301 https://$host$request_uri;\n        }\n";
    assertThat(site)
        .contains("    listen 80;\n")
        .doesNotContain("listen 443", "ssl_certificate")
        .contains("    location /.well-known/acme-challenge/ {\n        root /var/www/html;\n")
        .contains("    location = /health {\n        uwsgi_pass")
        .contains("    location / {\n" + redirect + "        uwsgi_pass")
        .contains("    location /static/ {\n" + redirect + "        alias ");
    File tls = byId(resources, "file:nginx-site-tls").getFile();
    assertThat(tls.getPath()).isEqualTo("/etc/nginx/sites-enabled/pulley-sample.tls.conf");
    assertThat(tls.getOnlyIfExists()).isEqualTo(LIVE + "/fullchain.pem");
    assertThat(tls.getValidateList()).containsExactly("nginx", "-t");
    assertThat(tls.getContent())
        .contains(
            "    listen 443 ssl http2;\n",
            "ssl_certificate " + LIVE + "/fullchain.pem;",
            "ssl_certificate_key " + LIVE + "/privkey.pem;")
        .doesNotContain("log_format", "listen 80;");
    // The health check goes over HTTP, which answers it before and after the certificate.
    assertThat(byId(resources, "health").getHealthCheck().getUrl())
        .isEqualTo("http://127.0.0.1:80/health");
    assertThat(byId(resources, "package:stack").getPackage().getNamesList())
        .contains("certbot", "openssl");
  }

  @Test
  void certbot_runsAfterTheReleaseIsHealthy_onlyWhenTheCertificateFallsShort() {
    List<Resource> resources = render(acme(StackAcme.newBuilder().setEmail("ops@example.com")));

    List<String> ids = resources.stream().map(Resource::getId).toList();
    assertThat(ids)
        .containsSubsequence(
            "health", "command:certificate", "file:nginx-site-tls", "service:nginx-tls");
    Command certbot = byId(resources, "command:certificate").getCommand();
    assertThat(certbot.getArgvList())
        .containsSubsequence("certbot", "certonly", "--non-interactive")
        .containsSubsequence("--webroot-path", "/var/www/html")
        .containsSubsequence("--cert-name", "pulley-sample")
        .containsSubsequence("--server", "https://acme-v02.api.letsencrypt.org/directory")
        .containsSubsequence("--deploy-hook", "systemctl reload nginx")
        .containsSubsequence("--email", "ops@example.com")
        .containsSubsequence(
            "--domain", "sample.example.com", "--domain", "www.sample.example.com");
    // The domains are the check's arguments, never part of its script.
    assertThat(certbot.getUnlessList())
        .startsWith("sh", "-c")
        .endsWith(LIVE + "/fullchain.pem", "sample.example.com", "www.sample.example.com");
    assertThat(certbot.getUnless(2)).doesNotContain("example.com");
    assertThat(certbot.getEnvMap()).isEmpty();
    assertThat(ids).doesNotContain("file:acme-ca", "service:acme-renew-timer");
    var reload = byId(resources, "service:nginx-tls").getService();
    assertThat(reload.getName()).isEqualTo("nginx.service");
    assertThat(reload.getReloadOnList()).containsExactly("file:nginx-site-tls");
  }

  @Test
  void aPrivateAcmeServer_isTrustedThroughItsCa_inTheCommandAndItsOwnRenewalTimer() {
    List<Resource> resources =
        render(
            acme(
                StackAcme.newBuilder()
                    .setDirectory("https://acme.test:14000/dir")
                    .setCa("-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----")));

    Command certbot = byId(resources, "command:certificate").getCommand();
    assertThat(certbot.getArgvList())
        .containsSubsequence("--server", "https://acme.test:14000/dir")
        .contains("--register-unsafely-without-email");
    assertThat(certbot.getEnvMap())
        .containsEntry("REQUESTS_CA_BUNDLE", "/etc/pulley/acme/pulley-sample-ca.pem");
    assertThat(byId(resources, "file:acme-ca").getFile().getPath())
        .isEqualTo("/etc/pulley/acme/pulley-sample-ca.pem");
    assertThat(byId(resources, "service:acme-renew").getService().getUnit())
        .contains(
            "Environment=REQUESTS_CA_BUNDLE=/etc/pulley/acme/pulley-sample-ca.pem\n",
            "renew --no-random-sleep-on-renew --cert-name pulley-sample\n");
    assertThat(byId(resources, "service:acme-renew-timer").getService().getName())
        .isEqualTo("pulley-acme-pulley-sample.timer");
  }
}
