package io.pulley.controller.manifest;

import java.io.IOException;
import java.net.Proxy;
import java.net.URL;
import java.security.GeneralSecurityException;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory2;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * HTTP connections (JGit's JDK ones) whose responses are read within an {@link
 * AdvertisementBudget}; set on one transport, not globally.
 */
final class BudgetedHttpConnections implements HttpConnectionFactory2 {
  private final HttpConnectionFactory2 connections = new JDKHttpConnectionFactory();
  private final AdvertisementBudget budget;

  BudgetedHttpConnections(AdvertisementBudget budget) {
    this.budget = budget;
  }

  @Override
  public HttpConnection create(URL url) throws IOException {
    return new BudgetedHttpConnection(connections.create(url), budget);
  }

  @Override
  public HttpConnection create(URL url, Proxy proxy) throws IOException {
    return new BudgetedHttpConnection(connections.create(url, proxy), budget);
  }

  @Override
  public GitSession newSession() {
    GitSession session = connections.newSession();
    return new GitSession() {
      @Override
      public HttpConnection configure(HttpConnection connection, boolean sslVerify)
          throws IOException, GeneralSecurityException {
        HttpConnection inner =
            connection instanceof BudgetedHttpConnection budgeted
                ? budgeted.connection()
                : connection;
        return new BudgetedHttpConnection(session.configure(inner, sslVerify), budget);
      }

      @Override
      public void close() {
        session.close();
      }
    };
  }
}
