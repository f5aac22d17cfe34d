package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;

/**
 * Let's Encrypt's test ACME server (Debian's {@code pebble}) on a test server, in place of Let's
 * Encrypt, which is out of reach here. Debian ships the binary only: this writes its config, makes
 * its HTTPS certificate (for {@code name}, from a CA of its own that a manifest names as its
 * acme.ca) and starts it. Its validator checks http-01 challenges on port 80 of the domains, which
 * resolve through the server's /etc/hosts, as DNS would make them. Its state is in memory only: a
 * restart forgets every account and certificate.
 */
final class Pebble {
  static final int PORT = 14000;
  static final int MANAGEMENT_PORT = 15000;
  private static final String DIR = "/etc/pebble";
  private static final String CONFIG =
      """
      {"pebble": {"listenAddress": "0.0.0.0:%d", "managementListenAddress": "0.0.0.0:%d",
        "certificate": "%s/wfe.pem", "privateKey": "%s/wfe.key",
        "httpPort": 80, "tlsPort": 443, "ocspResponderURL": "",
        "externalAccountBindingRequired": false}}
      """;

  private final String name;
  private final String caPem;

  private Pebble(String name, String caPem) {
    this.name = name;
    this.caPem = caPem;
  }

  /**
   * Starts Pebble on {@code server} as {@code name}; {@code domain} resolves to {@code address}.
   */
  static Pebble start(PristineServer server, String name, String domain, String address) {
    server
        .exec(
            Duration.ofMinutes(5),
            "sh",
            "-c",
            "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends"
                + " pebble openssl")
        .orThrow();
    server.execOrThrow("mkdir", "-p", DIR);
    String caPem = OwnCa.issue(server, DIR, "wfe", name);
    server.writeFile(DIR + "/config.json", CONFIG.formatted(PORT, MANAGEMENT_PORT, DIR, DIR));
    server.execOrThrow("sh", "-c", "echo '" + address + " " + domain + "' >> /etc/hosts");
    // No random wait before a validation, and no nonce refused on purpose: counts, not luck.
    server.execOrThrow(
        "systemd-run",
        "--unit=pebble",
        "-E",
        "PEBBLE_VA_NOSLEEP=1",
        "-E",
        "PEBBLE_WFE_NONCEREJECT=0",
        "/usr/bin/pebble",
        "-config",
        DIR + "/config.json",
        "-strict=false");
    OwnCa.awaitListening(server, PORT);
    return new Pebble(name, caPem);
  }

  /** The ACME directory URL. */
  String directory() {
    return "https://" + name + ":" + PORT + "/dir";
  }

  /** The CA of Pebble's own HTTPS certificate (PEM). */
  String caPem() {
    return caPem;
  }

  /**
   * The root that signs what Pebble issues (new at each start), fetched by {@code client}, which
   * trusts Pebble's HTTPS through {@code caFile} (on the client).
   */
  String issuingRoot(PristineServer client, String caFile) {
    return client
        .execOrThrow(
            "python3",
            "-c",
            "import ssl, sys, urllib.request\n"
                + "ctx = ssl.create_default_context(cafile=sys.argv[2])\n"
                + "print(urllib.request.urlopen(sys.argv[1], context=ctx).read().decode())",
            "https://" + name + ":" + MANAGEMENT_PORT + "/roots/0",
            caFile)
        .stdout();
  }
}
