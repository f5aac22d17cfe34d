package io.pulley.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * A client's credentials on disk: {@code key.pem} (0600), {@code cert.pem} and {@code ca.pem} in a
 * directory only its owner can enter. The key is made on this machine and never leaves it.
 */
public final class CredentialFiles {
  private final Path dir;

  public CredentialFiles(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path keyFile() {
    return dir.resolve("key.pem");
  }

  public Path certificateFile() {
    return dir.resolve("cert.pem");
  }

  public Path caFile() {
    return dir.resolve("ca.pem");
  }

  /** Whether a certificate was ever issued here. */
  public boolean exist() {
    return Files.exists(keyFile()) && Files.exists(certificateFile()) && Files.exists(caFile());
  }

  public Credentials load() throws IOException {
    return new Credentials(
        PemFiles.privateKey(keyFile()),
        PemFiles.certificate(certificateFile()),
        PemFiles.certificate(caFile()));
  }

  /** Writes the three files; the key first and private, the certificate last (it marks success). */
  public void save(Credentials credentials) throws IOException {
    SecureFiles.privateDirectory(dir);
    SecureFiles.write(keyFile(), Pem.of(credentials.key()), true);
    SecureFiles.write(caFile(), Pem.of(credentials.ca()), false);
    SecureFiles.write(certificateFile(), Pem.of(credentials.certificate()), false);
  }

  /** Replaces the certificate only (a renewal for the same key). */
  public void saveCertificate(X509Certificate certificate) throws IOException {
    SecureFiles.write(certificateFile(), Pem.of(certificate), false);
  }
}
