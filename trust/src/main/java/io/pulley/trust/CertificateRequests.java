package io.pulley.trust;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * PKCS#10 certificate requests: made where the key lives, checked where the certificate is issued.
 * Nothing in a request but its key and common name is believed; the controller decides everything
 * else that goes into the certificate.
 */
public final class CertificateRequests {
  /** Far above a P-256 or RSA-4096 request; anything larger is not one. */
  public static final int MAX_BYTES = 8 * 1024;

  /** What a checked request asks for. */
  public record Checked(String commonName, PublicKey publicKey) {
    public String fingerprint() {
      return Fingerprints.of(publicKey);
    }
  }

  private CertificateRequests() {}

  /** A DER request for {@code name}, signed by {@code keys}. */
  public static byte[] create(KeyPair keys, String name) {
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
      return new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
          .build(signer)
          .getEncoded();
    } catch (OperatorCreationException | IOException e) {
      throw new TrustException("cannot sign a certificate request: " + e.getMessage(), e);
    }
  }

  /**
   * Parses and checks a request from the network: well-formed DER, within {@link #MAX_BYTES},
   * signed by the key it carries (proof the sender holds it), an EC P-256 or RSA key, and one
   * common name.
   */
  public static Checked check(byte[] der) {
    if (der.length == 0) {
      throw new TrustException("certificate_request is required");
    }
    if (der.length > MAX_BYTES) {
      throw new TrustException(
          "certificate_request is " + der.length + " bytes, more than " + MAX_BYTES);
    }
    JcaPKCS10CertificationRequest request;
    PublicKey key;
    try {
      request = new JcaPKCS10CertificationRequest(new PKCS10CertificationRequest(der));
      key = request.getPublicKey();
      if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new TrustException("certificate_request is not signed by its own key");
      }
    } catch (IOException | RuntimeException | GeneralSecurityException e) {
      if (e instanceof TrustException trust) {
        throw trust;
      }
      throw new TrustException("certificate_request is not a PKCS#10 request");
    } catch (OperatorCreationException | PKCSException e) {
      throw new TrustException("certificate_request's signature cannot be checked");
    }
    KeyRules.check(key);
    RDN[] names = request.getSubject().getRDNs(BCStyle.CN);
    if (names.length != 1) {
      throw new TrustException("certificate_request must name exactly one common name");
    }
    if (names[0].isMultiValued() || !(names[0].getFirst().getValue() instanceof ASN1String cn)) {
      throw new TrustException("certificate_request's common name must be a string");
    }
    return new Checked(cn.getString(), key);
  }
}
