package io.pulley.agent.apply.forked;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of the JVM that runs one apply: this JVM's own {@code java}, its system
 * properties, the apply's flags and the agent's class path with the apply's libraries. It holds no
 * part of the plan (that goes through a pipe), so that no secret shows in the process list.
 *
 * <p>The agent at rest runs without a JIT compiler and with a small heap; an apply is short and
 * busy (JGit, hashing, the executors), so its JVM gets the client compiler and more heap, and gives
 * everything back when it exits.
 */
public final class ApplyJvm {
  /** Replaces {@link #DEFAULT_OPTIONS} when set: the apply JVM's flags, separated by spaces. */
  public static final String OPTIONS_VARIABLE = "PULLEY_AGENT_APPLY_JAVA_OPTS";

  static final String DEFAULT_OPTIONS =
      "-XX:+UseSerialGC -Xms16m -Xmx96m -Xss512k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
          + " -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError";

  /** The daemon's jar, as installed and as built (agent/target). */
  static final String DAEMON_JAR = "pulley-agent.jar";

  /**
   * Beside it, the libraries only an apply uses (JGit and its own, RE2/J): kept off the daemon's
   * class path, because the JDK keeps an open jar's directory in the heap (agent/pom.xml).
   */
  static final String APPLY_JAR = "pulley-agent-apply.jar";

  /** The apply process's entry point, in the executors' package (io.pulley.agent.apply.wiring). */
  static final String MAIN = "io.pulley.agent.apply.wiring.ApplyMain";

  private final Path java;
  private final List<String> properties;
  private final String options;
  private final String classPath;
  private final String main;

  ApplyJvm(Path java, List<String> properties, String options, String classPath, String main) {
    this.java = java;
    this.properties = List.copyOf(properties);
    this.options = options;
    this.classPath = classPath;
    this.main = main;
  }

  /**
   * The JVM this agent runs on, with its class path and its system properties, and the flags from
   * {@code environment}.
   */
  public static ApplyJvm likeThisJvm(Map<String, String> environment) {
    String options = environment.get(OPTIONS_VARIABLE);
    return new ApplyJvm(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        systemProperties(ProcessHandle.current().info().arguments().orElse(new String[0])),
        options == null || options.isBlank() ? DEFAULT_OPTIONS : options,
        withApplyJar(System.getProperty("java.class.path", "")),
        MAIN);
  }

  /**
   * {@code classPath}, and then the apply jar beside each daemon jar on it that has one. A class
   * path without the daemon's jar (the tests', with every library on it) stays as it is.
   */
  static String withApplyJar(String classPath) {
    StringBuilder withApply = new StringBuilder(classPath);
    int start = 0;
    while (start <= classPath.length()) {
      int end = classPath.indexOf(File.pathSeparatorChar, start);
      end = end < 0 ? classPath.length() : end;
      Path entry = Path.of(classPath.substring(start, end));
      Path applyJar = entry.resolveSibling(APPLY_JAR);
      if (entry.endsWith(DAEMON_JAR) && Files.isRegularFile(applyJar)) {
        withApply.append(File.pathSeparatorChar).append(applyJar);
      }
      start = end + 1;
    }
    return withApply.toString();
  }

  /** The same JVM and flags with another entry point (for tests). */
  ApplyJvm withMain(String otherMain) {
    return new ApplyJvm(java, properties, options, classPath, otherMain);
  }

  /**
   * The {@code -D} options among a JVM's arguments (those before its main class or jar): what an
   * admin set for the agent, such as its Logback configuration, holds for its applies too.
   */
  static List<String> systemProperties(String[] jvmArguments) {
    List<String> properties = new ArrayList<>();
    for (int i = 0; i < jvmArguments.length; i++) {
      String argument = jvmArguments[i];
      if (argument.equals("-jar") || !argument.startsWith("-")) {
        break;
      }
      if (argument.equals("-cp") || argument.equals("-classpath")) {
        i++; // its value
      } else if (argument.startsWith("-D")) {
        properties.add(argument);
      }
    }
    return properties;
  }

  List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    // The agent's properties first, so that the apply's own flags can override one.
    command.addAll(properties);
    command.addAll(words(options));
    command.add("-cp");
    command.add(classPath);
    command.add(main);
    return command;
  }

  /** The flags split at blanks, as the start script splits its own. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean blank = i == text.length() || Character.isWhitespace(text.charAt(i));
      if (blank && start >= 0) {
        words.add(text.substring(start, i));
        start = -1;
      } else if (!blank && start < 0) {
        start = i;
      }
    }
    return words;
  }
}
