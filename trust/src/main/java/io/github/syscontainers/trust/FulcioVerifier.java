package io.github.syscontainers.trust;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * A Fulcio trust root, checking keyless signing certificates as containers/image does: the leaf chains to one of the
 * configured CA certificates through the intermediates the signature carries (all of its chain but the last, which
 * is the root), every certificate valid at the time Rekor recorded the signature, the leaf for code signing; the
 * OIDC issuer from Fulcio's extension (v1 {@code 1.3.6.1.4.1.57264.1.1}, raw; v2 {@code .1.8}, a UTF8String; both
 * must agree when both are there) and an e-mail subject alternative name must be the policy's.
 *
 * <p>Immutable and thread-safe.
 */
final class FulcioVerifier {
  static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
  static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
  private static final String ANY_USAGE = "2.5.29.37.0";

  private final List<X509Certificate> cas;
  private final String oidcIssuer;
  private final String subjectEmail;

  FulcioVerifier(List<X509Certificate> cas, String oidcIssuer, String subjectEmail) {
    this.cas = List.copyOf(cas);
    this.oidcIssuer = oidcIssuer;
    this.subjectEmail = subjectEmail;
  }

  /**
   * Verifies the leaf certificate {@code certPem} at {@code at}.
   *
   * @return the leaf's public key, to verify the signature with
   */
  PublicKey verify(Instant at, byte[] certPem, Optional<byte[]> chainPem) throws TrustException {
    List<X509Certificate> leaves = Pem.certificates(certPem, "its certificate");
    if (leaves.size() != 1) {
      throw new TrustException("its certificate annotation holds " + leaves.size() + " certificates, not one");
    }
    X509Certificate leaf = leaves.get(0);
    List<X509Certificate> intermediates = new ArrayList<>();
    if (chainPem.isPresent()) {
      List<X509Certificate> chain = Pem.certificates(chainPem.get(), "its certificate chain");
      if (chain.size() > 1) {
        intermediates.addAll(chain.subList(0, chain.size() - 1));
      }
    }
    return verify(at, leaf, intermediates);
  }

  /** Verifies {@code leaf} at {@code at}, with {@code intermediates} to build its path from. */
  PublicKey verify(Instant at, X509Certificate leaf, List<X509Certificate> intermediates) throws TrustException {
    Date when = Date.from(at);
    // each certificate valid when the log recorded the signature: said plainly before the path is looked for, where
    // an expired certificate would only be "no path"
    List<X509Certificate> given = new ArrayList<>(intermediates);
    given.add(0, leaf);
    valid(given, at);
    List<X509Certificate> path = chain(leaf, intermediates, when);
    // PKIX checks the path's certificates at that time (above, they were checked to say so plainly), not the anchor's
    valid(List.of(path.get(path.size() - 1)), at);
    usage(path);
    String issuer = issuer(leaf);
    if (!issuer.equals(oidcIssuer)) {
      throw new TrustException("its certificate is from the OIDC issuer \"" + issuer + "\", not \"" + oidcIssuer + "\"");
    }
    List<String> emails = emails(leaf);
    if (!emails.contains(subjectEmail)) {
      throw new TrustException("its certificate is for " + (emails.isEmpty() ? "no e-mail address" : emails)
          + ", not " + subjectEmail);
    }
    return leaf.getPublicKey();
  }

  private static void valid(List<X509Certificate> certificates, Instant at) throws TrustException {
    for (int i = 0; i < certificates.size(); i++) {
      X509Certificate c = certificates.get(i);
      try {
        c.checkValidity(Date.from(at));
      } catch (GeneralSecurityException e) {
        throw new TrustException((i == 0 ? "its certificate" : "the certificate " + c.getSubjectX500Principal()
            .getName() + " of its chain") + " was not valid at " + at + ", when Rekor recorded the signature (valid "
            + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + ")");
      }
    }
  }

  /** The path leaf, intermediates..., CA; the CA one of the configured ones. */
  private List<X509Certificate> chain(X509Certificate leaf, List<X509Certificate> intermediates, Date when)
      throws TrustException {
    try {
      Set<TrustAnchor> anchors = new HashSet<>();
      for (X509Certificate ca : cas) {
        anchors.add(new TrustAnchor(ca, null));
      }
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(leaf);
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      params.setRevocationEnabled(false);
      params.setDate(when);
      params.setMaxPathLength(Pem.MAX_CERTIFICATES);
      List<X509Certificate> all = new ArrayList<>(intermediates);
      all.add(leaf);
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(all)));
      PKIXCertPathBuilderResult r = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
      List<X509Certificate> path = new ArrayList<>();
      r.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
      path.add(r.getTrustAnchor().getTrustedCert());
      return path;
    } catch (GeneralSecurityException e) {
      throw new TrustException("its certificate " + leaf.getSubjectX500Principal().getName().replace("\"", "")
          + (leaf.getSubjectX500Principal().getName().isEmpty() ? "(" + emailsOrNone(leaf) + ")" : "")
          + " does not chain to the Fulcio CA of the policy at that time: " + e.getMessage(), e);
    }
  }

  /** Go's x509 KeyUsages check: code signing allowed by the leaf and by every certificate above that restricts. */
  private static void usage(List<X509Certificate> path) throws TrustException {
    for (int i = 0; i < path.size(); i++) {
      List<String> eku;
      try {
        eku = path.get(i).getExtendedKeyUsage();
      } catch (CertificateParsingException e) {
        throw new TrustException("a certificate of its chain has an unreadable extended key usage", e);
      }
      if (eku == null ? i == 0 : !eku.contains(CODE_SIGNING) && !eku.contains(ANY_USAGE)) {
        throw new TrustException("its certificate" + (i == 0 ? "" : "'s chain") + " is not for code signing");
      }
    }
  }

  /** The OIDC issuer of a Fulcio certificate. */
  static String issuer(X509Certificate c) throws TrustException {
    Optional<String> v1 = extension(c, ISSUER_V1, false);
    Optional<String> v2 = extension(c, ISSUER_V2, true);
    if (v1.isPresent() && v2.isPresent() && !v1.get().equals(v2.get())) {
      throw new TrustException("its certificate names two OIDC issuers, \"" + v1.get() + "\" (v1) and \"" + v2.get()
          + "\" (v2)");
    }
    return v1.or(() -> v2).orElseThrow(() -> new TrustException("its certificate has no Fulcio OIDC issuer"
        + " extension; it is not a Fulcio certificate"));
  }

  private static Optional<String> extension(X509Certificate c, String oid, boolean der) throws TrustException {
    byte[] wrapped = c.getExtensionValue(oid);
    if (wrapped == null) {
      return Optional.empty();
    }
    try {
      byte[] value = ASN1OctetString.getInstance(wrapped).getOctets();
      if (!der) {
        return Optional.of(new String(value, java.nio.charset.StandardCharsets.UTF_8));
      }
      ASN1Primitive p = ASN1Primitive.fromByteArray(value);
      if (!(p instanceof ASN1String)) {
        throw new TrustException("its certificate's OIDC issuer v2 extension is not a string");
      }
      return Optional.of(((ASN1String) p).getString());
    } catch (IOException | IllegalArgumentException e) {
      throw new TrustException("its certificate's extension " + oid + " is not valid ASN.1", e);
    }
  }

  static List<String> emails(X509Certificate c) throws TrustException {
    List<String> out = new ArrayList<>();
    try {
      if (c.getSubjectAlternativeNames() != null) {
        for (List<?> n : c.getSubjectAlternativeNames()) {
          if (((Integer) n.get(0)) == 1) {
            out.add((String) n.get(1));
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new TrustException("its certificate's subject alternative names cannot be read", e);
    }
    return out;
  }

  private static String emailsOrNone(X509Certificate c) {
    try {
      List<String> e = emails(c);
      return e.isEmpty() ? "no e-mail" : String.join(", ", e);
    } catch (TrustException e) {
      return "unreadable names";
    }
  }
}
