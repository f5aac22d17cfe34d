package io.pulley.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
      Class<?> planType = Class.forName("io.pulley.v1.HostPlan", true, loader);
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
