package io.pulley.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.store.SqliteStore;
import io.pulley.testing.CapturedLogs;
import io.pulley.testing.SshGitServer;
import io.pulley.testing.TestRepository;
import io.pulley.v1.AgentServiceGrpc;
import io.pulley.v1.HostFacts;
import io.pulley.v1.PollRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `pulley secret set` and `pulley secret list` against a real controller. */
class SecretCommandTest {
  private final KeyPair deployKey = SshGitServer.newKey();
  private final String key = SshGitServer.privateKeyText(deployKey);
  private final String keyLine = key.lines().skip(1).findFirst().orElseThrow();

  @TempDir Path temp;
  private LocalController controller;
  private Cli cli;
  private TestRepository repository;
  private SshGitServer git;
  private Path dataDir;

  @BeforeEach
  void start() throws Exception {
    dataDir = temp.resolve("controller");
    controller = LocalController.start(dataDir);
    cli = controller.cli();
    repository = TestRepository.create(temp.resolve("repo"));
    git =
        SshGitServer.start(
            repository.gitDir(), "git", deployKey.getPublic(), SshGitServer.newKey());
  }

  @AfterEach
  void stop() {
    controller.close();
    git.close();
    repository.close();
  }

  @Test
  void set_fromStdin_trimsAOneLineValue_andSaysCreatedThenReplaced() {
    Cli.Result first = cli.runWithInput("tok-123\n", "secret", "set", "shop", "prod", "api-token");
    Cli.Result second = cli.runWithInput("tok-456", "secret", "set", "shop", "prod", "api-token");

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out())
        .isEqualTo(
            "secret api-token of shop/prod set (created); hosts receive it with their next plan\n");
    assertThat(second.out()).contains("set (replaced)");
    Cli.Result json =
        cli.runWithInput("tok-456", "-o", "json", "secret", "set", "shop", "prod", "api-token");
    assertThat(json.out()).contains("\"created\": false");
    assertThat(storedSecrets()).containsExactly(Map.entry("api-token", "tok-456"));
  }

  @Test
  void set_fromFile_keepsAMultiLineKeyExactly() throws Exception {
    Path keyFile = temp.resolve("id_ed25519");
    Files.writeString(keyFile, key);

    Cli.Result result =
        cli.run("secret", "set", "shop", "prod", "deploy-key", "--from-file", keyFile.toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(storedSecrets()).containsExactly(Map.entry("deploy-key", key));
  }

  @Test
  void set_withABadNameOrNoValue_isRejectedWithExit3_andStoresNothing() {
    Cli.Result badName = cli.runWithInput("hunter2\n", "secret", "set", "shop", "prod", "bad/key");
    Cli.Result empty = cli.runWithInput("\n", "secret", "set", "shop", "prod", "key");
    Cli.Result noFile =
        cli.run("secret", "set", "shop", "prod", "key", "--from-file", temp + "/missing");

    assertThat(badName.exitCode()).as(badName.toString()).isEqualTo(3);
    assertThat(badName.err()).contains("rejected: name: ").doesNotContain("hunter2");
    assertThat(empty.exitCode()).as(empty.toString()).isEqualTo(3);
    assertThat(empty.err()).contains("value: the value is empty");
    assertThat(noFile.exitCode()).as(noFile.toString()).isEqualTo(2);
    assertThat(storedSecrets()).isEmpty();
  }

  @Test
  void secret_withoutASubcommand_isAUsageError() {
    Cli.Result result = cli.run("secret");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("pulley secret set", "pulley secret list");
  }

  @Test
  void set_aValueLargerThan64KiB_isRejectedBeforeSending() {
    Cli.Result result =
        cli.runWithInput("x".repeat(64 * 1024 + 1), "secret", "set", "shop", "prod", "big");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    assertThat(result.err()).contains("larger than 64 KiB");
    assertThat(storedSecrets()).isEmpty();
  }

  @Test
  void deployKey_setWithTheCli_letsAStackManifestWithIt_BeApplied() throws Exception {
    Path manifest = temp.resolve("shop.yaml");
    Files.writeString(manifest, stackManifest());
    Cli.Result before = cli.run("apply", "-f", manifest.toString());
    assertThat(before.exitCode()).as(before.toString()).isEqualTo(3);
    assertThat(before.err())
        .contains("stack.git.deploy_key_secret")
        .contains("pulley secret set shop production deploy-key");

    Path keyFile = temp.resolve("id_ed25519");
    Files.writeString(keyFile, key);
    Cli.Result set =
        cli.run(
            "secret", "set", "shop", "production", "deploy-key", "--from-file", keyFile.toString());
    Cli.Result after = cli.run("apply", "-f", manifest.toString());

    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(after.exitCode()).as(after.toString()).isZero();
    assertThat(after.out())
        .contains("applied: shop/production revision 1")
        .contains("note: the SSH host key of 127.0.0.1:" + git.port() + " is SHA256:")
        .contains("trusted on first use");
  }

  @Test
  void list_showsNameSourceAndTime_asATableAndAsJson() throws Exception {
    Files.writeString(temp.resolve("id_ed25519"), key);
    cli.run(
        "secret",
        "set",
        "shop",
        "production",
        "deploy-key",
        "--from-file",
        temp.resolve("id_ed25519").toString());
    Path manifest = temp.resolve("shop.yaml");
    Files.writeString(manifest, stackManifest());
    assertThat(cli.run("apply", "-f", manifest.toString()).exitCode()).isZero();

    Cli.Result table = cli.run("secret", "list", "shop", "production");
    Cli.Result json = cli.run("secret", "list", "shop", "production", "-o", "json");
    Cli.Result none = cli.run("secret", "list", "blog", "production");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    String[] lines = table.out().split("\n");
    assertThat(lines[0]).matches("NAME +SOURCE +UPDATED");
    assertThat(lines[1]).matches("database-password +generated +\\d{4}-\\d\\d-\\d\\d .*Z");
    assertThat(lines[2]).matches("deploy-key +set +\\d{4}-\\d\\d-\\d\\d .*Z");
    assertThat(json.out())
        .contains("\"name\": \"deploy-key\"")
        .contains("\"generated\": false")
        .contains("\"generated\": true")
        .contains("\"updatedAt\"");
    assertThat(none.out()).isEqualTo("no secrets of blog/production\n");
  }

  @Test
  void set_changesThePlanIdOfAHostThatRunsTheApplication() throws Exception {
    cli.runWithInput(key, "secret", "set", "shop", "production", "deploy-key");
    Path manifest = temp.resolve("shop.yaml");
    Files.writeString(manifest, stackManifest());
    assertThat(cli.run("apply", "-f", manifest.toString()).exitCode()).isZero();
    registerHost("web-1");
    String before = planId(cli.run("plan", "web-1"));

    Cli.Result set =
        cli.runWithInput(
            SshGitServer.privateKeyText(SshGitServer.newKey()),
            "secret",
            "set",
            "shop",
            "production",
            "deploy-key");

    assertThat(set.exitCode()).as(set.toString()).isZero();
    String after = planId(cli.run("plan", "web-1"));
    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void theValue_neverAppearsInTheControllersLogOrAnyOutput() throws Exception {
    Path manifest = temp.resolve("shop.yaml");
    Files.writeString(manifest, stackManifest());
    StringBuilder output = new StringBuilder();
    String logs;
    try (CapturedLogs captured = CapturedLogs.start()) {
      output.append(cli.runWithInput(key, "secret", "set", "shop", "production", "deploy-key"));
      output.append(cli.runWithInput(key, "secret", "set", "shop", "production", "deploy-key"));
      output.append(cli.runWithInput(key, "secret", "set", "shop", "production", "Bad_Name"));
      output.append(
          cli.runWithInput(key, "-o", "json", "secret", "set", "shop", "production", "k"));
      output.append(cli.run("apply", "-f", manifest.toString()));
      registerHost("web-1");
      output.append(cli.run("plan", "web-1"));
      output.append(cli.run("plan", "web-1", "-o", "json"));
      output.append(cli.run("secret", "list", "shop", "production", "-o", "json"));
      output.append(cli.run("revision", "shop", "production", "-o", "json"));
      logs = captured.text();
    }

    assertThat(logs).contains("secret deploy-key of shop/production set by");
    assertThat(output.toString()).contains("(redacted)");
    for (String value : new String[] {keyLine, storedSecrets().get("database-password")}) {
      assertThat(logs).doesNotContain(value);
      assertThat(output.toString()).doesNotContain(value);
    }
  }

  private String stackManifest() {
    return """
        application: shop
        environment: production
        stack:
          git: {url: "%s", ref: main, deploy_key_secret: deploy-key}
          web: {wsgi: shop.wsgi}
          site: {domains: [shop.example.com]}
          database: {}
        """
        .formatted(git.url("git"));
  }

  /** A host polls once, so the controller knows it and renders its plan. */
  private void registerHost(String hostId) throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(controller.address()).usePlaintext().build();
    try {
      AgentServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .poll(
              PollRequest.newBuilder()
                  .setHostId(hostId)
                  .setFacts(HostFacts.newBuilder().putLabels("role", "web"))
                  .build());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static String planId(Cli.Result plan) {
    Matcher matcher = Pattern.compile("plan ([0-9a-f]{64}) for host").matcher(plan.out());
    assertThat(matcher.find()).as(plan.toString()).isTrue();
    return matcher.group(1);
  }

  /** The stored values, read from the controller's database once it has stopped. */
  private Map<String, String> storedSecrets() {
    controller.close();
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      Map<String, String> all = new java.util.TreeMap<>(store.secrets(new AppEnv("shop", "prod")));
      all.putAll(store.secrets(new AppEnv("shop", "production")));
      return all;
    }
  }
}
