package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.ManifestError;
import org.junit.jupiter.api.Test;

class AcmeCompileTest {

  private CompileResult compile(String site) {
    return ShopStack.compile(site, "");
  }

  @Test
  void acme_needsNoCertificateFiles() {
    CompileResult result =
        compile("{domains: [shop.example.com], tls: {acme: {email: ops@example.com}}}");

    assertThat(result.errors()).isEmpty();
    assertThat(result.manifest().orElseThrow().getStack().getSite().getTls().getCertificate())
        .isEmpty();
  }

  @Test
  void badAcme_namesEachField() {
    CompileResult result =
        compile(
            "{domains: [shop.example.com, \"*.shop.example.com\"], http_port: 8080,"
                + " tls: {certificate: /etc/ssl/a.pem, acme: {email: \"not an address\","
                + " directory: \"http://acme.example.com/dir\", ca: \"not a certificate\"}}}");

    assertThat(result.errors())
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.site.tls.certificate",
            "stack.site.http_port",
            "stack.site.domains[1]",
            "stack.site.tls.acme.email",
            "stack.site.tls.acme.directory",
            "stack.site.tls.acme.ca");
  }
}
