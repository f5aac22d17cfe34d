package io.pulley.controller.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The TLS an HTTPS listener of the controller speaks: TLS 1.3 or 1.2, nothing older even where the
 * Java runtime's own settings would allow it (an operator may have re-enabled TLS 1.1 for something
 * else), and no client certificate asked for: webhook requests are authenticated by their
 * signature, and a forge has no certificate to give.
 */
final class ModernTls extends HttpsConfigurator {
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  ModernTls(SSLContext context) {
    super(context);
  }

  @Override
  public void configure(HttpsParameters params) {
    SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
    parameters.setProtocols(PROTOCOLS.toArray(new String[0]));
    parameters.setNeedClientAuth(false);
    parameters.setWantClientAuth(false);
    params.setSSLParameters(parameters);
  }
}
