package io.github.syscontainers.trust;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM blocks as Go's {@code encoding/pem} reads them: the DER of each block, its type kept. */
final class Pem {
  /** The most certificates a chain may hold: Fulcio's are two or three long. */
  static final int MAX_CERTIFICATES = 10;

  private Pem() {}

  /** One PEM block's type and DER. */
  record Block(String type, byte[] der) {}

  /** The blocks of {@code pem}; any other text than whitespace around them is an error. */
  static List<Block> blocks(byte[] pem, String what) throws TrustException {
    return scan(pem, what, true);
  }

  /**
   * The blocks of {@code pem}, found by a plain scan (no regular expression: a lazy pattern over a few kilobytes
   * cost a verifying pull 10 ms before the JIT warmed up). {@code strict}: only whitespace may surround them.
   */
  static List<Block> scan(byte[] pem, String what, boolean strict) throws TrustException {
    String text = new String(pem, StandardCharsets.US_ASCII);
    List<Block> out = new ArrayList<>();
    int i = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN ", i);
      if (begin < 0) {
        if (strict && !text.substring(i).isBlank()) {
          throw new TrustException(what + " has trailing data after its PEM");
        }
        return out;
      }
      if (strict && !text.substring(i, begin).isBlank()) {
        throw new TrustException(what + " has text that is not PEM");
      }
      int typeEnd = text.indexOf("-----", begin + 11);
      if (typeEnd < 0) {
        throw new TrustException(what + " has a PEM header without its end");
      }
      String type = text.substring(begin + 11, typeEnd);
      String end = "-----END " + type + "-----";
      int e = text.indexOf(end, typeEnd + 5);
      if (e < 0) {
        throw new TrustException(what + " has a " + type + " PEM block without its END line");
      }
      String body = text.substring(typeEnd + 5, e);
      for (int k = 0; k < body.length(); k++) {
        char c = body.charAt(k);
        if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
            || c == '=' || Character.isWhitespace(c))) {
          throw new TrustException(what + " has a " + type + " PEM block that is not base64");
        }
      }
      try {
        out.add(new Block(type, Base64.getMimeDecoder().decode(body)));
      } catch (IllegalArgumentException ex) {
        throw new TrustException(what + " has a PEM block that is not base64");
      }
      i = e + end.length();
    }
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
