package io.pulley.controller.manifest;

import java.io.IOException;
import java.util.Map;

/** Lists what a Git remote advertises, as {@code git ls-remote} does. Thread-safe. */
public interface RemoteRefs {
  /**
   * Every ref of the remote at {@code url} by full name ({@code refs/tags/v1.2.0}, {@code
   * refs/heads/main}), each with the commit it points to: annotated tags are peeled.
   *
   * @throws IOException if the remote cannot be read; the message holds no credentials
   */
  Map<String, String> list(String url) throws IOException;

  /**
   * As {@link #list(String)}, reading {@code remote} with its credentials and accepting only its
   * expected host key, if it has one. A lister of public remotes reads its URL.
   */
  default Map<String, String> list(GitRemote remote) throws IOException {
    return list(remote.url());
  }
}
