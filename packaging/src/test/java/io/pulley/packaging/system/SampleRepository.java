package io.pulley.packaging.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Git repository with a working copy and a bare copy served over HTTP on the test network, made
 * with the git command line (as a developer would), so servers fetch releases over the network.
 */
final class SampleRepository implements AutoCloseable {
  private final Path work;
  private final Path served;
  private final GitHttpServer http;

  private SampleRepository(Path work, Path served, GitHttpServer http) {
    this.work = work;
    this.served = served;
    this.http = http;
  }

  static SampleRepository create(Path dir, String httpAddress)
      throws IOException, InterruptedException {
    Path work = Files.createDirectories(dir.resolve("work"));
    Path served = Files.createDirectories(dir.resolve("served"));
    git(work, "init", "-q", "-b", "main");
    Files.writeString(work.resolve("app.py"), "print('version 1')\n");
    git(work, "add", "app.py");
    commit(work, "version 1");
    git(served, "clone", "-q", "--bare", work.toString(), "hello.git");
    GitHttpServer http = GitHttpServer.start(httpAddress, served);
    http.updateServerInfo("hello.git");
    return new SampleRepository(work, served, http);
  }

  String url() {
    return http.url("hello.git");
  }

  /** Commits a new version of app.py and pushes it to the served copy; returns the commit id. */
  String release(String version) throws IOException, InterruptedException {
    Files.writeString(work.resolve("app.py"), "print('version " + version + "')\n");
    git(work, "add", "app.py");
    commit(work, "version " + version);
    git(work, "push", "-q", served.resolve("hello.git").toString(), "main");
    http.updateServerInfo("hello.git");
    return head();
  }

  String head() throws IOException, InterruptedException {
    return git(work, "rev-parse", "HEAD").strip();
  }

  @Override
  public void close() {
    http.close();
  }

  private static void commit(Path work, String message) throws IOException, InterruptedException {
    git(
        work,
        "-c",
        "user.name=Pulley Test",
        "-c",
        "user.email=test@example.invalid",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "-m",
        message);
  }

  private static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }
}
