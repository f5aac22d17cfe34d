package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;

/**
 * What a test's stand-in for an outside service (an SMTP relay, an ACME server) needs on its
 * server: a CA of its own and a certificate from it for the name clients use (so that clients check
 * it as they would a real one, with the CA given as the manifest's), and a wait until it listens.
 */
final class OwnCa {
  private OwnCa() {}

  /**
   * Makes {@code dir}/ca.pem (and its key) and {@code dir}/LEAF.pem and LEAF.key for {@code name},
   * valid two days; returns the CA's certificate (PEM).
   */
  static String issue(PristineServer server, String dir, String leaf, String name) {
    server.execOrThrow(
        "sh",
        "-c",
        "cd "
            + dir
            + " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2"
            + " -subj /CN="
            + leaf
            + "-ca -addext basicConstraints=critical,CA:TRUE"
            + " -addext keyUsage=critical,keyCertSign -keyout ca.key -out ca.pem 2> /dev/null"
            + " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN="
            + name
            + " -keyout "
            + leaf
            + ".key -out "
            + leaf
            + ".csr 2> /dev/null && printf 'subjectAltName=DNS:"
            + name
            + "\\nextendedKeyUsage=serverAuth\\n' > "
            + leaf
            + ".ext && openssl x509 -req -in "
            + leaf
            + ".csr -CA ca.pem -CAkey ca.key -days 2 -extfile "
            + leaf
            + ".ext -out "
            + leaf
            + ".pem 2> /dev/null");
    return server.execOrThrow("cat", dir + "/ca.pem").stdout();
  }

  /** Waits up to 30 s until something listens on TCP {@code port} of {@code server}. */
  static void awaitListening(PristineServer server, int port) {
    server
        .exec(
            Duration.ofSeconds(40),
            "sh",
            "-c",
            "for i in $(seq 30); do ss -ltn | grep -q ':"
                + port
                + " ' && exit 0; sleep 1; done;"
                + " exit 1")
        .orThrow();
  }
}
