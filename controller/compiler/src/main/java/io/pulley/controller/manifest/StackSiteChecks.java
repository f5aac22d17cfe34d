package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.re2j.Pattern;
import io.pulley.controller.stack.DjangoSteps;
import io.pulley.controller.stack.StackDefaults;
import io.pulley.v1.Stack;
import io.pulley.v1.StackAcme;
import io.pulley.v1.StackHealth;
import io.pulley.v1.StackSettings;
import io.pulley.v1.StackSite;
import io.pulley.v1.StackTls;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the parts of the {@code stack} section that become the nginx site, the settings file and
 * the health check. Every value here is written into nginx or INI text, so anything that could end
 * a directive ({@code ;}, braces, quotes, line breaks) is refused. Not thread-safe.
 */
final class StackSiteChecks {

  private static final String LABEL = "[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?";
  static final Pattern DOMAIN = Pattern.compile("(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*");
  static final Pattern URL_PREFIX = Pattern.compile("/([A-Za-z0-9._~-]+/)*");
  static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9._~/?&=%+-]*");
  static final Pattern ACME_DIRECTORY =
      Pattern.compile("https://[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(/[A-Za-z0-9._~-]*){0,16}");
  static final Pattern BODY_SIZE = Pattern.compile("[0-9]{1,9}[kKmMgG]?");
  static final Pattern HTPASSWD = Pattern.compile("[\\x21-\\x39\\x3b-\\x7e]+:[\\x21-\\x7e]+");
  static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.]+(/[0-9]{1,3})?|unix:");
  static final Pattern SETTING_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");

  private final Checks checks;
  private final ConfigText text;

  StackSiteChecks(Checks checks) {
    this.checks = checks;
    this.text = new ConfigText(checks);
  }

  /** Checks {@code stack}, as written; {@code filled} is the same with its defaults filled in. */
  void validate(Stack stack, Stack filled) {
    site(stack.getSite(), filled.getSite(), DjangoSteps.servesStatic(stack));
    settings(stack);
    health(stack.getHealth());
  }

  private void site(StackSite site, StackSite filled, boolean collectsStatic) {
    if (site.getDomainsCount() == 0) {
      checks.fail(
          "stack.site.domains",
          "site.domains is required: the site's names, such as [example.com]");
    }
    for (int i = 0; i < site.getDomainsCount(); i++) {
      String field = "stack.site.domains[" + i + "]";
      if (text.matches(
              field,
              "domain",
              site.getDomains(i),
              DOMAIN,
              "use a host name such as \"www.example.com\" (\"*.example.com\" for a wildcard)")
          && i == 0
          && site.getDomains(0).startsWith("*")) {
        checks.fail(
            field, "the first domain is the health check's Host header; it cannot be a wildcard");
      }
    }
    text.range("stack.site.http_port", site.getHttpPort(), 1, 65_535, StackDefaults.HTTP_PORT);
    if (site.hasTls()) {
      tls(site.getTls(), filled);
    }
    if (!site.getStaticUrl().isEmpty()) {
      text.matches(
          "stack.site.static_url",
          "static_url",
          site.getStaticUrl(),
          URL_PREFIX,
          "use a URL prefix that starts and ends with \"/\", such as \"/static/\"");
      if (site.getStaticDir().isEmpty() && !collectsStatic) {
        checks.fail(
            "stack.site.static_url",
            "static_url needs static_dir (or django.collectstatic), the files it serves");
      }
    }
    if (!site.getWebsocketPath().isEmpty()) {
      text.matches(
          "stack.site.websocket_path",
          "websocket_path",
          site.getWebsocketPath(),
          URL_PREFIX,
          "use a URL prefix that starts and ends with \"/\", such as \"/ws/\"");
      if (!site.getWebsocket()) {
        checks.fail("stack.site.websocket_path", "websocket_path needs websocket: true");
      }
    }
    text.range(
        "stack.site.websocket_drain_seconds",
        site.getWebsocketDrainSeconds(),
        1,
        600,
        StackDefaults.WEBSOCKET_DRAIN_SECONDS);
    if (site.getWebsocketDrainSeconds() != 0 && !site.getWebsocket()) {
      checks.fail(
          "stack.site.websocket_drain_seconds", "websocket_drain_seconds needs websocket: true");
    }
    if (!site.getStaticDir().isEmpty()) {
      new StackValidator(checks)
          .relativePath("stack.site.static_dir", "static_dir", site.getStaticDir());
    }
    if (!site.getClientMaxBodySize().isEmpty()) {
      text.matches(
          "stack.site.client_max_body_size",
          "client_max_body_size",
          site.getClientMaxBodySize(),
          BODY_SIZE,
          "use a number with an optional k, m or g suffix, such as \"99m\"");
    }
    for (int i = 0; i < site.getHtpasswdCount(); i++) {
      text.matches(
          "stack.site.htpasswd[" + i + "]",
          "htpasswd line",
          site.getHtpasswd(i),
          HTPASSWD,
          "use \"user:HASH\" as printed by `htpasswd -nB user`, without blanks");
    }
    if (site.hasCache()) {
      new StackCacheChecks(checks)
          .validate(site, filled, !site.getStaticDir().isEmpty() || collectsStatic);
    }
    for (int i = 0; i < site.getRealIpFromCount(); i++) {
      text.matches(
          "stack.site.real_ip_from[" + i + "]",
          "address",
          site.getRealIpFrom(i),
          ADDRESS,
          "use an IP address or CIDR block, such as \"10.0.0.0/8\"");
    }
  }

  private void tls(StackTls tls, StackSite filled) {
    if (tls.hasAcme()) {
      acme(tls, filled);
    } else {
      text.path("stack.site.tls.certificate", tls.getCertificate(), true);
      text.path("stack.site.tls.key", tls.getKey(), true);
    }
    text.range("stack.site.tls.port", tls.getPort(), 1, 65_535, StackDefaults.HTTPS_PORT);
    int port = filled.getTls().getPort();
    if (port == filled.getHttpPort()) {
      checks.fail(
          "stack.site.tls.port", "the HTTPS port " + port + " is also the HTTP port; use another");
    }
    if (tls.getHstsMaxAge() < -1) {
      checks.fail(
          "stack.site.tls.hsts_max_age",
          "hsts_max_age is "
              + tls.getHstsMaxAge()
              + "; use seconds, 0 for two years or -1 for none");
    }
  }

  /** Let's Encrypt's certificate: its files are certbot's, and it checks the domains on port 80. */
  private void acme(StackTls tls, StackSite filled) {
    for (String field : List.of("certificate", "key")) {
      if (checks.written("stack.site.tls." + field)) {
        checks.fail(
            "stack.site.tls." + field,
            "with acme, the certificate and key are certbot's; leave " + field + " out");
      }
    }
    if (filled.getHttpPort() != StackDefaults.HTTP_PORT) {
      checks.fail(
          "stack.site.http_port",
          "with tls.acme, http_port must be 80: ACME servers check a domain on port 80");
    }
    for (int i = 0; i < filled.getDomainsCount(); i++) {
      if (filled.getDomains(i).startsWith("*")) {
        checks.fail(
            "stack.site.domains[" + i + "]",
            "a wildcard domain cannot be checked over HTTP (ACME's http-01); give the names");
      }
    }
    StackAcme acme = tls.getAcme();
    if (!acme.getEmail().isEmpty() && !StackMailChecks.ADDRESS.matcher(acme.getEmail()).matches()) {
      checks.fail(
          "stack.site.tls.acme.email",
          quote(acme.getEmail()) + " is not a plain address such as \"ops@example.com\"");
    }
    if (!acme.getDirectory().isEmpty()) {
      text.matches(
          "stack.site.tls.acme.directory",
          "directory",
          acme.getDirectory(),
          ACME_DIRECTORY,
          "use the ACME server's https:// directory URL");
    }
    if (!acme.getCa().isEmpty()) {
      PemCertificates.problem(acme.getCa())
          .ifPresent(reason -> checks.fail("stack.site.tls.acme.ca", "ca: " + reason));
    }
  }

  private void settings(Stack stack) {
    StackSettings settings = stack.getSettings();
    String use = settings.getUse();
    if (!use.isEmpty() && text.line("stack.settings.use", "use", use) && !use.strip().equals(use)) {
      checks.fail("stack.settings.use", "use " + quote(use) + " has blanks around it");
    }
    Set<String> taken = new HashSet<>(generatedKeys(stack));
    for (Map.Entry<String, String> value : settings.getValuesMap().entrySet()) {
      String field = "stack.settings.values[" + quote(value.getKey()) + "]";
      if (key(field, value.getKey(), taken) && text.line(field, "value", value.getValue())) {
        if (value.getValue().contains("${")) {
          checks.fail(
              field,
              "the value contains \"${\", which the host would read as a secret reference; list"
                  + " secrets in settings.secrets instead");
        } else if (!value.getValue().strip().equals(value.getValue())) {
          checks.fail(field, "the value has blanks around it, which INI files drop");
        }
      }
    }
    for (int i = 0; i < settings.getSecretsCount(); i++) {
      String name = settings.getSecrets(i);
      String field = "stack.settings.secrets[" + i + "]";
      if (key(field, name, taken)) {
        new Names(checks).secret(field, name, true);
        if (stack.hasDatabase() && name.equals("database-password")) {
          checks.fail(
              field, "\"database-password\" is the database's own secret; pick another name");
        }
      }
    }
  }

  private static Set<String> generatedKeys(Stack stack) {
    Set<String> keys = new HashSet<>(Set.of("use"));
    if (stack.hasDatabase()) {
      keys.add("sqlalchemy.url");
    }
    if (stack.hasRedis()) {
      keys.add("redis.url");
      if (stack.hasCelery()) {
        keys.add("celery.broker_url");
      }
    }
    return keys;
  }

  private boolean key(String field, String key, Set<String> taken) {
    if (!text.matches(
        field,
        "setting",
        key,
        SETTING_KEY,
        "use letters, digits, \"_\", \".\" and \"-\", starting with a letter or \"_\"")) {
      return false;
    }
    if (!taken.add(key)) {
      checks.fail(
          field,
          "setting "
              + quote(key)
              + " is already written (by the stack or another entry); give it once");
      return false;
    }
    return true;
  }

  private void health(StackHealth health) {
    if (!health.getPath().isEmpty()) {
      text.matches(
          "stack.health.path",
          "path",
          health.getPath(),
          URL_PATH,
          "use a URL path starting with \"/\", such as \"/health\"");
    }
    int status = health.getExpectStatus();
    if (status != 0 && (status < 100 || status > 599)) {
      checks.fail("stack.health.expect_status", "expect_status is " + status + "; use 100 to 599");
    }
    if (!health.getExpectBody().isEmpty()) {
      text.line("stack.health.expect_body", "expect_body", health.getExpectBody());
    }
    text.range(
        "stack.health.deadline_seconds",
        health.getDeadlineSeconds(),
        1,
        ReleaseResourceChecks.MAX_DEADLINE_SECONDS,
        StackDefaults.DEADLINE_SECONDS);
  }
}
