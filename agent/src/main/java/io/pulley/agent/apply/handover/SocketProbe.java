package io.pulley.agent.apply.handover;

import java.nio.file.Path;

/**
 * Asks one web instance, on its own socket, for one page: the check that a release answers before
 * it gets any traffic. The seam between the handover and uWSGI; tests answer as they like.
 */
@FunctionalInterface
public interface SocketProbe {

  /** One answer: an HTTP status and the start of the body, or (status 0) why there was none. */
  record Answer(int status, String body, String error) {
    static Answer failed(String error) {
      return new Answer(0, "", error);
    }
  }

  /** GET {@code path} with Host {@code host} on the Unix socket {@code socket}; never throws. */
  Answer get(Path socket, String host, String path) throws InterruptedException;
}
