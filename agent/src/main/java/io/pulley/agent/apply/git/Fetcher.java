package io.pulley.agent.apply.git;

import com.google.re2j.Pattern;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Fetches a remote's branches and tags into a local bare repository. Implementations are stateless
 * between calls and may be used from one apply thread at a time.
 */
interface Fetcher {
  Pattern SCP_LIKE = Pattern.compile("[\\w.-]+@[\\w.-]+:.*");

  /** Empty on success, else why the fetch failed (credentials in URLs already redacted). */
  Optional<String> fetch(Path gitDir, String url) throws InterruptedException;

  /**
   * Whether {@code url} needs the SSH transport: {@code ssh://} or scp-like {@code user@host:path}.
   */
  static boolean isSsh(String url) {
    return url.startsWith("ssh://")
        || url.startsWith("git+ssh://")
        || (!url.contains("://") && SCP_LIKE.matcher(url).matches());
  }
}
