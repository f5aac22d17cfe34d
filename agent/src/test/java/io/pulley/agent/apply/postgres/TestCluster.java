package io.pulley.agent.apply.postgres;

import io.pulley.agent.apply.process.ProgramRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster in a temp directory, run as the postgres user, listening only on
 * a Unix socket in that directory: no TCP port, never the host's own cluster. Password logins are
 * SCRAM; the postgres user logs in by peer, as the agent does.
 */
final class TestCluster {
  private static final Map<String, String> ENV =
      Map.of(
          "PATH",
          "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "LANG",
          "C.UTF-8");

  private final Path bin;
  private final Path home;

  private TestCluster(Path bin, Path home) {
    this.bin = bin;
    this.home = home;
  }

  /** Initialises and starts a cluster under {@code dir}, which must be the caller's own. */
  static TestCluster start(Path dir) throws IOException, InterruptedException {
    Path bin = serverBin();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path home = Files.createDirectory(dir.resolve("pg"));
    UserPrincipalLookupService users = home.getFileSystem().getUserPrincipalLookupService();
    Files.setOwner(home, users.lookupPrincipalByName("postgres"));
    TestCluster cluster = new TestCluster(bin, home);
    cluster.asPostgres(
        List.of(
            bin + "/initdb",
            "-D",
            home + "/data",
            "-U",
            "postgres",
            "-A",
            "peer",
            "--no-sync",
            "-E",
            "UTF8"));
    Files.writeString(
        home.resolve("data/pg_hba.conf"), "local all postgres peer\nlocal all all scram-sha-256\n");
    Files.writeString(
        home.resolve("data/postgresql.conf"),
        "listen_addresses = ''\nunix_socket_directories = '" + home + "'\nfsync = off\n",
        StandardOpenOption.APPEND);
    cluster.asPostgres(
        List.of(bin + "/pg_ctl", "-D", home + "/data", "-l", home + "/log", "-w", "start"));
    return cluster;
  }

  /** Where libpq finds the socket. */
  Map<String, String> libpqEnv() {
    return Map.of("PGHOST", home.toString());
  }

  /** Runs {@code sql} as {@code role} logging in with {@code password}. */
  ProgramRunner.Result login(String role, String password, String database, String sql)
      throws InterruptedException {
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("PGHOST", home.toString());
    env.put("PGPASSWORD", password);
    return new ProgramRunner()
        .run(
            List.of("psql", "-X", "-A", "-t", "-U", role, "-d", database, "-c", sql),
            Path.of("/"),
            env,
            new byte[0],
            Duration.ofSeconds(30));
  }

  /** Stops the server at once; the directory goes with the test's temp dir. */
  void stop() throws IOException, InterruptedException {
    asPostgres(List.of(bin + "/pg_ctl", "-D", home + "/data", "-m", "immediate", "-w", "stop"));
  }

  private void asPostgres(List<String> argv) throws IOException, InterruptedException {
    List<String> all = new java.util.ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    all.addAll(argv);
    ProgramRunner.Result run =
        new ProgramRunner().run(all, Path.of("/"), ENV, new byte[0], Duration.ofMinutes(1));
    if (!run.succeeded()) {
      throw new IOException(argv.get(0) + " failed: " + run.failure() + "\n" + run.outputTail());
    }
  }

  /** Debian's newest installed server, such as /usr/lib/postgresql/15/bin. */
  private static Path serverBin() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("these tests need a PostgreSQL server package under " + root);
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
          .orElseThrow(() -> new IllegalStateException("no initdb under " + root));
    }
  }
}
