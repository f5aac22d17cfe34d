package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An SMTP relay's stand-in on a test server, as a mail provider runs one: submission on port 587
 * that insists on STARTTLS and then on a login (python3-aiosmtpd with the small handler in
 * smtp-sink.py), under a certificate for {@code name} issued by a CA of its own, which a manifest
 * names as its relay_ca. Every message it accepts is kept with the login it came in with.
 */
final class SmtpSink {
  static final int PORT = 587;
  private static final String DIR = "/srv/smtp-sink";
  private static final String MBOX = DIR + "/mbox";

  private final PristineServer server;
  private final String caPem;

  private SmtpSink(PristineServer server, String caPem) {
    this.server = server;
    this.caPem = caPem;
  }

  /** Starts the sink on {@code server} for the relay name {@code name}, taking one login. */
  static SmtpSink start(PristineServer server, String name, String login, String password)
      throws IOException {
    server.execOrThrow("mkdir", "-p", DIR);
    server.writeFile(DIR + "/smtp-sink.py", script());
    server.writeFile(DIR + "/password", password + "\n");
    server
        .exec(
            Duration.ofMinutes(5),
            "sh",
            "-c",
            "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q"
                + " --no-install-recommends python3-aiosmtpd openssl")
        .orThrow();
    String caPem = OwnCa.issue(server, DIR, "sink", name);
    server.execOrThrow(
        "systemd-run",
        "--unit=smtp-sink",
        "python3",
        DIR + "/smtp-sink.py",
        MBOX,
        DIR + "/sink.pem",
        DIR + "/sink.key",
        login,
        DIR + "/password",
        Integer.toString(PORT));
    OwnCa.awaitListening(server, PORT);
    return new SmtpSink(server, caPem);
  }

  private static String script() throws IOException {
    try (InputStream in = SmtpSink.class.getResourceAsStream("smtp-sink.py")) {
      if (in == null) {
        throw new IOException("smtp-sink.py is missing from the test resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The CA's certificate (PEM), which the relay's certificate is checked against. */
  String caPem() {
    return caPem;
  }

  /** Everything received so far, each message after a line "== AUTH login FROM … TO …". */
  String received() {
    return server.exec("sh", "-c", "cat " + MBOX + " 2> /dev/null || true").stdout();
  }
}
