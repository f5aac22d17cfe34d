package io.pulley.controller.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RemoteSession;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;

/** SSH sessions whose remote commands' output is read within an {@link AdvertisementBudget}. */
final class BudgetedSshSessions extends SshSessionFactory {
  private final SshSessionFactory sessions;
  private final AdvertisementBudget budget;

  BudgetedSshSessions(SshSessionFactory sessions, AdvertisementBudget budget) {
    this.sessions = sessions;
    this.budget = budget;
  }

  @Override
  public RemoteSession getSession(
      URIish uri, CredentialsProvider credentials, FS fs, int timeoutMillis)
      throws TransportException {
    RemoteSession session = sessions.getSession(uri, credentials, fs, timeoutMillis);
    return new RemoteSession() {
      @Override
      public Process exec(String command, int timeout) throws IOException {
        return new BudgetedProcess(session.exec(command, timeout));
      }

      @Override
      public void disconnect() {
        sessions.releaseSession(session);
      }
    };
  }

  @Override
  public String getType() {
    return sessions.getType();
  }

  /** The remote command, its standard output within the budget. */
  private final class BudgetedProcess extends Process {
    private final Process process;
    private final InputStream out;
    private final InputStream err;

    BudgetedProcess(Process process) {
      this.process = process;
      this.out = budget.limit(process.getInputStream());
      this.err = budget.limit(process.getErrorStream());
    }

    @Override
    public OutputStream getOutputStream() {
      return process.getOutputStream();
    }

    @Override
    public InputStream getInputStream() {
      return out;
    }

    @Override
    public InputStream getErrorStream() {
      return err;
    }

    @Override
    public int waitFor() throws InterruptedException {
      return process.waitFor();
    }

    @Override
    public int exitValue() {
      return process.exitValue();
    }

    @Override
    public void destroy() {
      process.destroy();
    }
  }
}
