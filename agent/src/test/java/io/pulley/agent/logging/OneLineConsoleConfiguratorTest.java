package io.pulley.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class OneLineConsoleConfiguratorTest {
  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void configure() {
    // Logback's SLF4J provider gives its context one; this context is the test's own.
    context.setMDCAdapter(new LogbackMDCAdapter());
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setOutputStream(out);
    OneLineConsoleConfigurator.apply(context, appender);
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  private String written() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void multiLineMessage_isOneLine() {
    context.getLogger("io.pulley.agent.Agent").info("first\nsecond\r\n\nthird");

    assertThat(written()).isEqualTo("INFO  io.pulley.agent.Agent - first second third\n");
  }

  @Test
  void exception_isOnTheSameLine_withItsFirstFrame() {
    Exception e = new IllegalStateException("bad\nstate", new RuntimeException("cause"));

    context.getLogger("io.pulley.agent.Agent").warn("apply failed", e);

    String line = written();
    assertThat(line)
        .startsWith(
            "WARN  io.pulley.agent.Agent - apply failed java.lang.IllegalStateException: bad | state"
                + " | at io.pulley.agent.logging.OneLineConsoleConfiguratorTest.")
        .contains(" | Caused by: java.lang.RuntimeException: cause | at ")
        .endsWith(")\n");
    assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
  }

  @Test
  void longLoggerNames_areShortenedFromTheLeft_asLogbacksLoggerWidth36() {
    context.getLogger("io.pulley.agent.apply.forked.ForkedApplier").warn("x");
    context.getLogger("io.pulley.agent.Agent").error("trailing break\n");
    context.getLogger("io.pulley.agent.Agent").info(null);

    assertThat(written())
        .isEqualTo(
            "WARN  i.p.agent.apply.forked.ForkedApplier - x\n"
                + "ERROR io.pulley.agent.Agent - trailing break\n"
                + "INFO  io.pulley.agent.Agent - null\n");
  }

  @Test
  void levels_areInfoButWarnForTheChattyLibraries() {
    context.getLogger("io.pulley.agent.Agent").debug("not written");
    context.getLogger("io.grpc.netty.NettyClientHandler").info("not written");
    context.getLogger("io.netty.channel.Channel").info("not written");
    context.getLogger("org.eclipse.jgit.transport.Transport").info("not written");
    context.getLogger("io.grpc.ManagedChannel").warn("written");

    assertThat(written()).isEqualTo("WARN  io.grpc.ManagedChannel - written\n");
  }

  @Test
  void levels_areCopiedToJavaUtilLogging_whereGrpcLogs() {
    assertThat(java.util.logging.Logger.getLogger("io.grpc").getLevel()).isEqualTo(Level.WARNING);
    assertThat(java.util.logging.Logger.getLogger("").getLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void aConfigurationFileThatExists_isLeftToLogback(@TempDir Path dir) throws Exception {
    ClassLoader noResources = new URLClassLoader(new URL[0], null);
    Path file = Files.writeString(dir.resolve("levels.xml"), "<configuration/>");

    assertThat(OneLineConsoleConfigurator.configuredElsewhere(file.toString(), noResources))
        .isTrue();
    assertThat(OneLineConsoleConfigurator.configuredElsewhere("file:/x.xml", noResources)).isTrue();
    assertThat(OneLineConsoleConfigurator.configuredElsewhere(null, noResources)).isFalse();
    assertThat(OneLineConsoleConfigurator.configuredElsewhere("", noResources)).isFalse();
    // Logback would fall back to its bare console configuration for these.
    assertThat(
            OneLineConsoleConfigurator.configuredElsewhere(
                dir.resolve("missing.xml").toString(), noResources))
        .isFalse();
    assertThat(OneLineConsoleConfigurator.configuredElsewhere(dir.toString(), noResources))
        .isFalse();
  }

  @Test
  void aLogbackXmlOnTheClassPath_isLeftToLogback() {
    // This module's tests have a logback-test.xml on the class path.
    assertThat(OneLineConsoleConfigurator.configuredElsewhere(null, getClass().getClassLoader()))
        .isTrue();
  }

  @Test
  void configure_withALogbackTestXml_stepsAside() {
    LoggerContext fresh = new LoggerContext();
    OneLineConsoleConfigurator configurator = new OneLineConsoleConfigurator();
    configurator.setContext(fresh);

    assertThat(configurator.configure(fresh))
        .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(fresh.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders()).isExhausted();
  }

  @Test
  void isRegisteredAsALogbackService() {
    assertThat(ServiceLoader.load(Configurator.class).stream().map(p -> p.type().getName()))
        .contains(OneLineConsoleConfigurator.class.getName());
  }
}
