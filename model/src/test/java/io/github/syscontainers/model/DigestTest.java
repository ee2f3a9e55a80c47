package io.github.syscontainers.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.Provider;
import java.security.Security;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SHA-256 digests from a preferred provider outside the JVM's list, and from the list when it cannot serve. */
class DigestTest {
  private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @AfterEach
  void listAlone() {
    Digest.preferSha256(null);
  }

  @Test
  void aPreferredProviderServesWithoutJoiningTheList() throws Exception {
    Provider named = new Named();
    Digest.preferSha256(named);
    MessageDigest md = Digest.newSha256();
    assertThat(md.getProvider()).isSameAs(named);
    assertThat(Digest.sha256(md.digest("abc".getBytes(StandardCharsets.US_ASCII))).hex()).isEqualTo(ABC);
    assertThat(Digest.parse("sha256:" + ABC).newMessageDigest().getProvider()).isSameAs(named);
    assertThat(Security.getProvider(named.getName())).isNull();
  }

  @Test
  void theListServesWhenThePreferredProviderHasNoSha256() {
    Provider none = new Provider("DigestTestNone", "1", "no algorithms") {};
    Digest.preferSha256(none);
    assertThat(Digest.newSha256().getProvider()).isNotSameAs(none);
    assertThat(Digest.sha256Of("abc".getBytes(StandardCharsets.US_ASCII)).hex()).isEqualTo(ABC);
    Digest.preferSha256(null);
    assertThat(Digest.newSha256().getProvider()).isSameAs(MessageDigestProviders.listed());
  }

  /** equals and hashCode are written out (a record's own bootstrap at their first call): they still mean both fields. */
  @Test
  void equalWhenBothFieldsAre() {
    Digest a = Digest.parse("sha256:" + ABC);
    assertThat(a).isEqualTo(Digest.sha256Of("abc".getBytes(StandardCharsets.US_ASCII))).hasSameHashCodeAs(
        Digest.parse("sha256:" + ABC));
    assertThat(a).isNotEqualTo(Digest.parse("sha256:" + ABC.replace('b', 'c'))).isNotEqualTo("sha256:" + ABC);
    Descriptor d = Descriptor.of("application/x", a, 3);
    assertThat(d).isEqualTo(Descriptor.of("application/x", Digest.parse("sha256:" + ABC), 3))
        .hasSameHashCodeAs(Descriptor.of("application/x", Digest.parse("sha256:" + ABC), 3))
        .isNotEqualTo(Descriptor.of("application/y", a, 3)).isNotEqualTo(Descriptor.of("application/x", a, 4))
        .isNotEqualTo(new Descriptor("application/x", a, 3, java.util.Map.of("k", "v"), java.util.Optional.empty()));
  }

  /** A provider whose SHA-256 is the JDK's, under another name. */
  static final class Named extends Provider {
    Named() {
      super("DigestTestNamed", "1", "the JDK's SHA-256");
      putService(new Service(this, "MessageDigest", "SHA-256", Jdk.class.getName(), null, null));
    }
  }

  /** The JDK's SHA-256 as a service of {@link Named}. */
  public static final class Jdk extends MessageDigestSpi {
    private final MessageDigest jdk;

    public Jdk() throws Exception {
      jdk = MessageDigest.getInstance("SHA-256", "SUN");
    }

    @Override
    protected void engineUpdate(byte input) {
      jdk.update(input);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      jdk.update(input, offset, len);
    }

    @Override
    protected byte[] engineDigest() {
      return jdk.digest();
    }

    @Override
    protected void engineReset() {
      jdk.reset();
    }
  }

  /** What the JVM's list gives for SHA-256. */
  static final class MessageDigestProviders {
    static Provider listed() {
      try {
        return MessageDigest.getInstance("SHA-256").getProvider();
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }
  }
}
