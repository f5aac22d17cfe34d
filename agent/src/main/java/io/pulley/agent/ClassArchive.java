package io.pulley.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive of parsed classes that the start script keeps for the unit ({@code
 * PULLEY_AGENT_CDS_ARCHIVE}). The JVM writes it when the agent stops, with every class that run
 * loaded, and each later start maps all of it. A run that enrolled loaded BouncyCastle's request
 * and key classes (about 300, 1.6 MB) that no later run needs, so after an enrolment the archive's
 * stamp goes: the script then remakes the archive from the next run (docs/agent.md).
 */
final class ClassArchive {
  static final String ENVIRONMENT = "PULLEY_AGENT_CDS_ARCHIVE";

  private static final Logger log = LoggerFactory.getLogger(ClassArchive.class);

  private ClassArchive() {}

  /** Has the next start make the archive anew; nothing if the agent keeps none. */
  static void remakeAfterEnrolment(Map<String, String> environment) {
    String archive = environment.get(ENVIRONMENT);
    if (archive == null || archive.isBlank()) {
      return;
    }
    try {
      // The script's stamp of the jar and JVM the archive was made with: without it, the script
      // deletes the archive and has the JVM write a new one when that run stops.
      Files.deleteIfExists(Path.of(archive + ".stamp"));
    } catch (IOException | RuntimeException e) {
      log.warn("cannot mark the class archive {} to be made again: {}", archive, e.toString());
    }
  }
}
