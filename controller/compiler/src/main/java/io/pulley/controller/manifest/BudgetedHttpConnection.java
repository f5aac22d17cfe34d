package io.pulley.controller.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.URL;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import org.eclipse.jgit.transport.http.HttpConnection;

/** One HTTP connection whose response body is read within the budget; the rest is its own. */
record BudgetedHttpConnection(HttpConnection connection, AdvertisementBudget budget)
    implements HttpConnection {

  @Override
  public InputStream getInputStream() throws IOException {
    return budget.limit(connection.getInputStream());
  }

  @Override
  public int getResponseCode() throws IOException {
    return connection.getResponseCode();
  }

  @Override
  public URL getURL() {
    return connection.getURL();
  }

  @Override
  public String getResponseMessage() throws IOException {
    return connection.getResponseMessage();
  }

  @Override
  public Map<String, List<String>> getHeaderFields() {
    return connection.getHeaderFields();
  }

  @Override
  public void setRequestProperty(String key, String value) {
    connection.setRequestProperty(key, value);
  }

  @Override
  public void setRequestMethod(String method) throws ProtocolException {
    connection.setRequestMethod(method);
  }

  @Override
  public void setUseCaches(boolean useCaches) {
    connection.setUseCaches(useCaches);
  }

  @Override
  public void setConnectTimeout(int timeout) {
    connection.setConnectTimeout(timeout);
  }

  @Override
  public void setReadTimeout(int timeout) {
    connection.setReadTimeout(timeout);
  }

  @Override
  public String getContentType() {
    return connection.getContentType();
  }

  @Override
  public String getHeaderField(String name) {
    return connection.getHeaderField(name);
  }

  @Override
  public List<String> getHeaderFields(String name) {
    return connection.getHeaderFields(name);
  }

  @Override
  public int getContentLength() {
    return connection.getContentLength();
  }

  @Override
  public void setInstanceFollowRedirects(boolean followRedirects) {
    connection.setInstanceFollowRedirects(followRedirects);
  }

  @Override
  public void setDoOutput(boolean doOutput) {
    connection.setDoOutput(doOutput);
  }

  @Override
  public void setFixedLengthStreamingMode(int contentLength) {
    connection.setFixedLengthStreamingMode(contentLength);
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    return connection.getOutputStream();
  }

  @Override
  public void setChunkedStreamingMode(int chunkLength) {
    connection.setChunkedStreamingMode(chunkLength);
  }

  @Override
  public String getRequestMethod() {
    return connection.getRequestMethod();
  }

  @Override
  public boolean usingProxy() {
    return connection.usingProxy();
  }

  @Override
  public void connect() throws IOException {
    connection.connect();
  }

  @Override
  public void configure(KeyManager[] km, TrustManager[] tm, SecureRandom random)
      throws NoSuchAlgorithmException, KeyManagementException {
    connection.configure(km, tm, random);
  }

  @Override
  public void setHostnameVerifier(HostnameVerifier verifier)
      throws NoSuchAlgorithmException, KeyManagementException {
    connection.setHostnameVerifier(verifier);
  }
}
