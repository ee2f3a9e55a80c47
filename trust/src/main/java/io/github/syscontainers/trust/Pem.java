package io.github.syscontainers.trust;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM blocks as Go's {@code encoding/pem} reads them: the DER of each block, its type kept. */
final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(?:[A-Za-z-]+:.*\\r?\\n)*\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
  /** The most certificates a chain may hold: Fulcio's are two or three long. */
  static final int MAX_CERTIFICATES = 10;

  private Pem() {}

  /** One PEM block's type and DER. */
  record Block(String type, byte[] der) {}

  static List<Block> blocks(byte[] pem, String what) throws TrustException {
    List<Block> out = new ArrayList<>();
    String text = new String(pem, StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    int end = 0;
    while (m.find()) {
      if (!text.substring(end, m.start()).isBlank()) {
        throw new TrustException(what + " has text that is not PEM");
      }
      try {
        out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new TrustException(what + " has a PEM block that is not base64");
      }
      end = m.end();
    }
    if (!text.substring(end).isBlank()) {
      throw new TrustException(what + " has trailing data after its PEM");
    }
    return out;
  }

  /** The DER of the one PEM block {@code pem} holds. */
  static byte[] singleDer(byte[] pem, String what) throws TrustException {
    List<Block> b = blocks(pem, what);
    if (b.size() != 1) {
      throw new TrustException(what + " holds " + b.size() + " PEM blocks, not one");
    }
    return b.get(0).der();
  }

  /** The certificates of PEM text, at most {@link #MAX_CERTIFICATES}. */
  static List<X509Certificate> certificates(byte[] pem, String what) throws TrustException {
    List<Block> blocks = blocks(pem, what);
    if (blocks.size() > MAX_CERTIFICATES) {
      throw new TrustException(what + " holds " + blocks.size() + " certificates, more than " + MAX_CERTIFICATES);
    }
    List<X509Certificate> out = new ArrayList<>();
    for (Block b : blocks) {
      if (!b.type().equals("CERTIFICATE")) {
        throw new TrustException(what + " holds a " + b.type() + " where a CERTIFICATE was expected");
      }
      out.add(certificate(b.der(), what));
    }
    return out;
  }

  static X509Certificate certificate(byte[] der, String what) throws TrustException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new TrustException(what + " holds a certificate that cannot be read: " + e.getMessage(), e);
    }
  }
}
