package io.pulley.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;

/**
 * The agent's default Logback configuration, in code: Logback's XML configurator and the JDK's XML
 * parser would load about 500 classes into an agent that idles for days.
 *
 * <p>One event per line on stdout, no colours: systemd's journal adds time and host itself. A file
 * named by {@code -Dlogback.configurationFile}, or a {@code logback-test.xml} or {@code
 * logback.xml} on the class path, still wins: Logback asks configurators found as services before
 * it looks for files, so this one steps aside by itself. Logback calls it once, from one thread.
 */
public final class OneLineConsoleConfigurator extends ContextAwareBase implements Configurator {
  static final String CONFIG_FILE_PROPERTY = "logback.configurationFile";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    String configFile = System.getProperty(CONFIG_FILE_PROPERTY);
    ClassLoader loader = OneLineConsoleConfigurator.class.getClassLoader();
    if (configuredElsewhere(configFile, loader)) {
      addInfo("a Logback configuration file is given; leaving the configuration to it");
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    if (configFile != null && !configFile.isBlank()) {
      // Logback alone would fall back to its DEBUG console, which floods the journal. Quietly, as
      // Logback notes a missing file: a warning would print its whole status list.
      addInfo(
          CONFIG_FILE_PROPERTY
              + " names "
              + configFile
              + ", which is no URL, file or class path resource: using the agent's default");
    }
    ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
    stdout.setName("STDOUT");
    apply(context, stdout);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Whether Logback's own lookup, which runs after this configurator, would find a file. */
  static boolean configuredElsewhere(String configFile, ClassLoader loader) {
    return (configFile != null && !configFile.isBlank() && found(configFile, loader))
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }

  /** Logback's order: a URL (read even if it fails), a class path resource, a regular file. */
  private static boolean found(String configFile, ClassLoader loader) {
    try {
      URI.create(configFile).toURL();
      return true;
    } catch (IllegalArgumentException | MalformedURLException notAUrl) {
      return loader.getResource(configFile) != null || Files.isRegularFile(Path.of(configFile));
    }
  }

  /** Writes every event at INFO and above to {@code appender}, one line each. */
  static void apply(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender) {
    // Before the levels are set, so that each is copied to java.util.logging, where gRPC and netty
    // log: JulBridge then only sees the records that will be written.
    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(context);
    propagator.setResetJUL(true);
    propagator.start();
    context.addListener(propagator);

    OneLineLayout layout = new OneLineLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.start();

    context.getLogger("io.grpc").setLevel(Level.WARN);
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("org.eclipse.jgit").setLevel(Level.WARN);
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
  }
}
