package io.pulley.packaging.system;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.PristineServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A private Git server on its own pristine Debian 13 server, as a small company runs one: a bare
 * repository owned by a {@code git} user behind OpenSSH (read-only deploy keys in its
 * authorized_keys, git-shell as its shell) and behind nginx over HTTPS with basic authentication
 * (git-http-backend through fcgiwrap; the token is the password), with a self-signed certificate
 * for its address. The repository mirrors a {@link SampleRepository}, so commits and tags made
 * there reach it with {@link #sync()}.
 */
final class PrivateGitServer implements AutoCloseable {
  static final String USER = "deploy";
  private static final String REPOSITORY = "/srv/git/app.git";
  private static final String CERTIFICATE = "/etc/ssl/certs/git-server.pem";
  private static final String NGINX_SITE =
      """
      server {
          listen 443 ssl;
          ssl_certificate %s;
          ssl_certificate_key /etc/ssl/private/git-server.key;
          location ~ ^/git(/.*)$ {
              auth_basic "git";
              auth_basic_user_file /etc/nginx/git.htpasswd;
              fastcgi_pass unix:/run/fcgiwrap.socket;
              include fastcgi_params;
              fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
              fastcgi_param GIT_PROJECT_ROOT /srv/git;
              fastcgi_param GIT_HTTP_EXPORT_ALL "";
              fastcgi_param PATH_INFO $1;
              fastcgi_param REMOTE_USER $remote_user;
          }
      }
      """;

  private final PristineServer server;
  private final String upstream;
  private int keys;

  private PrivateGitServer(PristineServer server, String upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  /** Boots the server and mirrors {@code upstream} (a URL this machine serves) into it. */
  static PrivateGitServer start(String suffix, String upstream, String token) {
    PristineServer server = PristineServer.boot(DebianImage.trixie(), suffix);
    try {
      PrivateGitServer git = new PrivateGitServer(server, upstream);
      git.install(token);
      return git;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  private void install(String token) {
    server.execOrThrow("apt-get", "update", "-q");
    server
        .aptGet(
            PristineServer.DEFAULT_EXEC_TIMEOUT,
            "install",
            "-y",
            "-q",
            "openssh-server",
            "git",
            "nginx",
            "fcgiwrap",
            "openssl")
        .orThrow();
    server.execOrThrow(
        "useradd",
        "--system",
        "--create-home",
        "--home-dir",
        "/srv/git",
        "--shell",
        "/usr/bin/git-shell",
        "git");
    server.execOrThrow("git", "clone", "-q", "--bare", upstream, REPOSITORY);
    server.execOrThrow("chown", "-R", "git:git", "/srv/git");
    server.execOrThrow("chmod", "-R", "o+rX", "/srv/git");
    // nginx's fcgiwrap runs git as www-data, on a repository owned by git.
    server.execOrThrow("git", "config", "--system", "safe.directory", "*");
    server.execOrThrow("mkdir", "-p", "-m", "0700", "/srv/git/.ssh");
    authorize(newKey());
    server.execOrThrow(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=git-server",
        "-addext",
        "subjectAltName=IP:" + server.address(),
        "-keyout",
        "/etc/ssl/private/git-server.key",
        "-out",
        CERTIFICATE);
    String hash = server.execOrThrow("openssl", "passwd", "-apr1", token).stdout().strip();
    server.writeFile("/etc/nginx/git.htpasswd", USER + ":" + hash + "\n");
    server.writeFile("/etc/nginx/sites-enabled/git.conf", NGINX_SITE.formatted(CERTIFICATE));
    server.execOrThrow("systemctl", "reload", "nginx");
  }

  /** Makes a new ed25519 key pair on the server; returns its number for {@link #privateKey}. */
  int newKey() {
    keys++;
    server.execOrThrow(
        "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deploy-" + keys, "-f", keyFile(keys));
    return keys;
  }

  /** Lets key {@code number}, and no other, read the repository over SSH. */
  void authorize(int number) {
    String publicKey = server.execOrThrow("cat", keyFile(number) + ".pub").stdout().strip();
    server.writeFile("/srv/git/.ssh/authorized_keys", "restrict " + publicKey + "\n");
    server.execOrThrow("chown", "-R", "git:git", "/srv/git/.ssh");
    server.execOrThrow("chmod", "0600", "/srv/git/.ssh/authorized_keys");
  }

  /** The OpenSSH private key {@code number}, as an admin would give `pulley secret set`. */
  String privateKey(int number) {
    return server.execOrThrow("cat", keyFile(number)).stdout();
  }

  /**
   * The fingerprints of the server's SSH host keys (one per key type), as `ssh-keygen -lf` prints
   * them ("SHA256:…"): which one a client sees depends on the key types it prefers.
   */
  java.util.List<String> hostKeyFingerprints() {
    String lines =
        server
            .execOrThrow(
                "sh",
                "-c",
                "for key in /etc/ssh/ssh_host_*_key.pub; do ssh-keygen -l -f $key; done")
            .stdout();
    return lines.lines().map(line -> line.split(" ")[1]).toList();
  }

  /** The HTTPS certificate (self-signed, for the server's address), PEM. */
  String certificate() {
    return server.execOrThrow("cat", CERTIFICATE).stdout();
  }

  /** Writes the HTTPS certificate to {@code file} on this machine. */
  Path certificateFile(Path file) throws java.io.IOException {
    return Files.writeString(file, certificate());
  }

  /** Brings the mirror up to date with its upstream: branches and tags. */
  void sync() {
    server.execOrThrow(
        "git",
        "--git-dir=" + REPOSITORY,
        "fetch",
        "-q",
        "--tags",
        upstream,
        "+refs/heads/*:refs/heads/*");
    server.execOrThrow("chown", "-R", "git:git", REPOSITORY);
    server.execOrThrow("chmod", "-R", "o+rX", REPOSITORY);
  }

  String sshUrl() {
    return "ssh://git@" + server.address() + REPOSITORY;
  }

  String httpsUrl() {
    return "https://" + server.address() + "/git/app.git";
  }

  PristineServer server() {
    return server;
  }

  private static String keyFile(int number) {
    return "/root/deploy-" + number;
  }

  @Override
  public void close() {
    server.close();
  }
}
