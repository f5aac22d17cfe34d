package io.pulley.controller.manifest;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.internal.JGitText;

/**
 * Why a remote could not be read, and which field of the Git section is to blame: the URL, the
 * deploy key, the token or the host key. Its message never holds a credential: it is made here from
 * what failed, and text from libraries passes only through {@link RemoteUrl#redact}.
 */
final class RemoteFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;

  RemoteFailure(String field, String reason) {
    // No cause and no stack trace: neither may carry what the remote or the key said.
    super(reason, null, false, false);
    this.field = field;
  }

  /** "url", "deploy_key_secret", "token_secret" or "host_key". */
  String field() {
    return field;
  }

  /** What {@code failure}, thrown while reading {@code remote}, means for the admin. */
  static RemoteFailure of(Throwable failure, GitRemote remote, SshAccess ssh) {
    if (ssh != null && ssh.mismatch()) {
      return new RemoteFailure(
          "host_key",
          "the remote shows host key "
              + SshHostKey.fingerprint(ssh.shownKey())
              + ", not the expected "
              + ssh.expectedFingerprint());
    }
    if (ssh != null && authenticationFailed(failure)) {
      return remote.privateKey().isEmpty()
          ? new RemoteFailure(
              "url",
              "the remote asks for a key; name an application secret holding a read-only deploy"
                  + " key in deploy_key_secret")
          : new RemoteFailure(
              "deploy_key_secret",
              "the remote refused the deploy key ("
                  + ssh.keyFingerprint()
                  + "); add its public key to the repository as a read-only deploy key, and"
                  + " check the user in the url");
    }
    String text = messages(failure);
    if (text.contains(JGitText.get().noCredentialsProvider)) {
      return new RemoteFailure(
          "url",
          "the remote asks for credentials; name an application secret holding an access token"
              + " in token_secret");
    }
    if (!remote.token().isEmpty() && text.contains(JGitText.get().notAuthorized)) {
      return new RemoteFailure(
          "token_secret",
          "the remote refused the token (sent as user \""
              + remote.username()
              + "\"); check that it is current and may read the repository");
    }
    String reason = RemoteUrl.redact(String.valueOf(failure.getMessage()));
    if (remote.hasCredentials() && has(failure, NoRemoteRepositoryException.class)) {
      reason += " (hosts answer so too when the credentials may not read the repository)";
    }
    return new RemoteFailure("url", reason);
  }

  private static boolean authenticationFailed(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SshException ssh
          && ssh.getDisconnectCode()
              == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
        return true;
      }
    }
    return false;
  }

  private static boolean has(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 8; t = t.getCause(), depth++) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
