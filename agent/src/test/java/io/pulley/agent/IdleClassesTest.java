package io.pulley.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.trust.CertificateAuthority;
import io.pulley.trust.CredentialFiles;
import io.pulley.trust.Credentials;
import io.pulley.trust.Identity;
import io.pulley.trust.KeyPairs;
import java.io.File;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an idle agent loads, counted in a class loader of its own over the agent's class path
 * without the test classes (whose logback-test.xml would configure Logback instead): each class
 * costs an agent that runs for days memory for good.
 */
class IdleClassesTest {

  /** Loads the agent's classes itself, parent-last, and records each one it defines. */
  static final class RecordingLoader extends URLClassLoader {
    final Set<String> defined = ConcurrentHashMap.newKeySet();

    RecordingLoader() {
      super(mainClassPath(), ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      Class<?> found = super.findClass(name);
      defined.add(name);
      return found;
    }

    /** The names, so that a failed assertion says which classes loaded. */
    List<String> named(String prefix) {
      return defined.stream().filter(name -> name.startsWith(prefix)).sorted().toList();
    }

    long count(String prefix) {
      return defined.stream().filter(name -> name.startsWith(prefix)).count();
    }

    private static URL[] mainClassPath() {
      List<URL> urls = new ArrayList<>();
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        if (!entry.endsWith("test-classes")) {
          try {
            urls.add(Path.of(entry).toUri().toURL());
          } catch (MalformedURLException e) {
            throw new IllegalStateException(entry, e);
          }
        }
      }
      return urls.toArray(URL[]::new);
    }
  }

  @Test
  void logging_isConfiguredWithoutLogbacksXmlConfigurator() throws Exception {
    try (RecordingLoader loader = new RecordingLoader()) {
      Class.forName("org.slf4j.LoggerFactory", true, loader)
          .getMethod("getLogger", String.class)
          .invoke(null, "io.pulley.agent.Agent");

      assertThat(loader.defined).contains("io.pulley.agent.logging.OneLineConsoleConfigurator");
      assertThat(loader.count("ch.qos.logback.core.joran.event")).isZero();
      assertThat(loader.count("ch.qos.logback.core.joran.action")).isZero();
      assertThat(loader.count("ch.qos.logback.classic.joran")).isZero();
      assertThat(loader.count("ch.qos.logback.core.model")).isZero();
      assertThat(loader.named("ch.qos.logback.core.pattern.parser.")).isEmpty();
      assertThat(loader.named("ch.qos.logback.core.pattern.color.")).isEmpty();
    }
  }

  @Test
  void metrics_notServed_loadNoMeterLibrary() throws Exception {
    try (RecordingLoader loader = new RecordingLoader()) {
      record(loader, "");

      assertThat(loader.count("io.micrometer.")).isZero();
      assertThat(loader.count("io.prometheus.")).isZero();
    }
  }

  @Test
  void metrics_served_loadMicrometerAndPrometheus() throws Exception {
    try (RecordingLoader loader = new RecordingLoader()) {
      record(loader, "127.0.0.1:9464");

      assertThat(loader.count("io.micrometer.")).isPositive();
      assertThat(loader.count("io.prometheus.")).isPositive();
    }
  }

  @Test
  void anApply_loadsNoExecutorAndNoJGitIntoTheAgent(@TempDir Path root) throws Exception {
    Path dataDir = Files.createDirectories(root.resolve("agent"));
    byte[] plan = HelloPlans.plan("p1", HelloPlans.file(root, "a.txt", "a\n")).toByteArray();
    try (RecordingLoader loader = new RecordingLoader()) {
      Class<?> jvmType = Class.forName("io.pulley.agent.apply.forked.ApplyJvm", true, loader);
      Class<?> applierType =
          Class.forName("io.pulley.agent.apply.forked.ForkedApplier", true, loader);
      Class<?> planType = Class.forName("io.pulley.v1.lite.HostPlan", true, loader);
      Object applier =
          applierType
              .getConstructor(jvmType, List.class, Path.class, String.class, Clock.class)
              .newInstance(
                  jvmType.getMethod("likeThisJvm", Map.class).invoke(null, Map.of()),
                  List.of(root),
                  dataDir,
                  "127.0.0.1:1",
                  Clock.systemUTC());

      applierType
          .getMethod("apply", planType, BooleanSupplier.class)
          .invoke(
              applier,
              planType.getMethod("parseFrom", byte[].class).invoke(null, (Object) plan),
              (BooleanSupplier) () -> false);

      assertThat(root.resolve("a.txt")).hasContent("a\n");
      assertThat(loader.defined).contains("io.pulley.agent.apply.forked.ForkedApplier");
      assertThat(loader.count("io.pulley.agent.apply.fs.")).isZero();
      assertThat(loader.count("io.pulley.agent.apply.wiring.")).isZero();
      assertThat(loader.count("org.eclipse.jgit.")).isZero();
    }
  }

  @Test
  void theUnitsStart_withoutArguments_loadsNoPicocliAndNoRegexEngine(@TempDir Path root)
      throws Throwable {
    Path config =
        Files.writeString(
            root.resolve("agent.yaml"),
            "controller: 127.0.0.1:7400\nreconverge_interval: 30m\npoll_hold: 4m\n");
    try (RecordingLoader loader = new RecordingLoader()) {
      // Method handles, not reflection: getDeclaredMethod would load every type that any of
      // AgentMain's methods names, picocli's among them.
      Class<?> mainType = Class.forName("io.pulley.agent.AgentMain", true, loader);
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(mainType, MethodHandles.lookup());
      Object main =
          lookup.findStatic(mainType, "withoutArguments", MethodType.methodType(mainType)).invoke();
      lookup.findSetter(mainType, "configFile", Path.class).invoke(main, config);
      Class<?> configType = Class.forName("io.pulley.agent.config.AgentConfig", false, loader);

      Object agentConfig =
          lookup
              .findVirtual(mainType, "config", MethodType.methodType(configType, String.class))
              .invoke(main, "web-1");

      assertThat(agentConfig.toString()).contains("127.0.0.1:7400");
      assertThat(loader.named("picocli.")).isEmpty();
      assertThat(loader.named("com.google.re2j.")).isEmpty();
    }
  }

  @Test
  void savedCredentials_loadWithoutBouncyCastle(@TempDir Path root) throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.loadOrCreate(root.resolve("ca"), Clock.systemUTC());
    KeyPair keys = KeyPairs.generate();
    X509Certificate certificate =
        ca.issueClient(keys.getPublic(), Identity.host("web-1"), Duration.ofHours(1));
    new CredentialFiles(root.resolve("tls"))
        .save(new Credentials(keys.getPrivate(), certificate, ca.certificate()));
    try (RecordingLoader loader = new RecordingLoader()) {
      Class<?> filesType = Class.forName("io.pulley.trust.CredentialFiles", true, loader);
      Object files = filesType.getConstructor(Path.class).newInstance(root.resolve("tls"));

      Object loaded = filesType.getMethod("load").invoke(files);

      assertThat(loaded.toString()).contains("web-1");
      assertThat(loader.defined).contains("io.pulley.trust.PemFiles");
      assertThat(loader.named("org.bouncycastle.")).isEmpty();
    }
  }

  /** A poll and an apply recorded, as the poll loop does, through the loader's own classes. */
  private static void record(ClassLoader loader, String metricsListen) throws Exception {
    Class<?> metricsType = Class.forName("io.pulley.agent.metrics.AgentMetrics", true, loader);
    Object metrics = metricsType.getMethod("forListen", String.class).invoke(null, metricsListen);
    Class<?> resultType =
        Class.forName("io.pulley.agent.metrics.AgentMetrics$PollResult", true, loader);
    Object newPlan =
        Arrays.stream(resultType.getEnumConstants())
            .filter(c -> c.toString().equals("NEW_PLAN"))
            .findFirst()
            .orElseThrow();
    metricsType.getMethod("poll", resultType).invoke(metrics, newPlan);
    metricsType
        .getMethod("applied", boolean.class, java.time.Duration.class, java.time.Instant.class)
        .invoke(metrics, true, java.time.Duration.ofSeconds(1), java.time.Instant.EPOCH);
  }
}
