package io.github.syscontainers.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The native SHA-256 behind MessageDigest gives the JDK's digests, however the bytes are split. */
class CryptoProviderTest {
  @BeforeEach
  void installed() {
    Peers.requireNative(
        CryptoProvider.install(), "the Corretto crypto provider did not load (an x86-64 Linux host is needed)");
  }

  static MessageDigest jdk() throws Exception {
    return MessageDigest.getInstance("SHA-256", Security.getProvider("SUN"));
  }

  @Test
  void isWhatSha256MeansOnceInstalled() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    assertThat(md.getProvider().getName()).isEqualTo(CryptoProvider.NAME);
    assertThat(md.getDigestLength()).isEqualTo(32);
    assertThat(CryptoProvider.install()).isTrue(); // a second install changes nothing
    assertThat(Security.getProviders()).filteredOn(p -> p.getName().equals(CryptoProvider.NAME)).hasSize(1);
  }

  /** Installed lazily (as the CLI does), it serves once the native provider loads, and hands over to the JDK when turned off. */
  @Test
  void aLazyInstallServesWhenTheLibraryLoadsAndFallsBackWhenItCannot() throws Exception {
    String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assertThat(child()).containsExactly(
        "SyscontainersCrypto SyscontainersCrypto " + abc, "SyscontainersCrypto SyscontainersCrypto " + abc);
    for (String off : new String[] {"-Dsyscontainers.crypto=false", "-Dsyscontainers.libcrypto=false",
        "-Dsyscontainers.native=false"}) {
      assertThat(child(off)).as(off).containsExactly("SUN SunJCE " + abc, "SUN SunJCE " + abc);
    }
  }

  /** AES-GCM alone first (a registry opened), then SHA-256 added (its layers are large): each from then on. */
  @Test
  void theCipherCanComeFirstAndTheDigestLater() throws Exception {
    String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assertThat(childWith(List.of(), "cipher-first")).containsExactly(
        "SUN SyscontainersCrypto " + abc, "SUN SyscontainersCrypto " + abc,
        "SyscontainersCrypto SyscontainersCrypto " + abc, "SyscontainersCrypto SyscontainersCrypto " + abc);
  }

  /**
   * Asked of the provider object (as the CLI's digests are), SHA-256 comes from the native provider without the
   * JVM's list changing; when the native one cannot load, the object has none and says so.
   */
  @Test
  void theUnlistedProviderServesSha256OutsideTheList() throws Exception {
    String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assertThat(childWith(List.of(), "unlisted")).containsExactly(
        "SyscontainersCrypto handed out 1 " + abc, "SyscontainersCrypto handed out 2 " + abc, "listed false",
        "suite NOT_RUN");
    assertThat(childWith(List.of("-Dsyscontainers.native=false"), "unlisted"))
        .containsExactly("none", "none", "listed false", "suite none");
  }

  static List<String> child(String... jvmOptions) throws Exception {
    return childWith(List.of(jvmOptions));
  }

  static List<String> childWith(List<String> jvmOptions, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LazyProviderMain.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start(); // SLF4J's notes
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void givesTheJdksDigestForEverySizeAndSplit() throws Exception {
    Random r = new Random(42);
    for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, 65_535, 65_536, 65_537, 200_000, 1 << 20}) {
      byte[] data = new byte[size + 7];
      r.nextBytes(data);
      MessageDigest ours = MessageDigest.getInstance("SHA-256");
      int at = 7;
      while (at < data.length) {
        int n = Math.min(data.length - at, 1 + r.nextInt(100_000));
        if (n == 1) {
          ours.update(data[at]);
        } else {
          ours.update(data, at, n);
        }
        at += n;
      }
      MessageDigest theirs = jdk();
      theirs.update(data, 7, size);
      assertThat(ours.digest()).as("size %d", size).isEqualTo(theirs.digest());
    }
  }

  @Test
  void resetsAfterADigestAndOnReset() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] abc = "abc".getBytes();
    byte[] expected = jdk().digest(abc);
    assertThat(md.digest(abc)).isEqualTo(expected);
    assertThat(md.digest(abc)).isEqualTo(expected);
    md.update("something else".getBytes());
    md.reset();
    assertThat(md.digest(abc)).isEqualTo(expected);
  }

  @Test
  void aCloneGoesOnFromTheSameState() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update("prefix-".getBytes());
    MessageDigest copy = (MessageDigest) md.clone();
    md.update("one".getBytes());
    copy.update("two".getBytes());
    assertThat(md.digest()).isEqualTo(jdk().digest("prefix-one".getBytes()));
    assertThat(copy.digest()).isEqualTo(jdk().digest("prefix-two".getBytes()));
  }

  @Test
  void writesIntoACallersBufferAndRefusesOneTooSmall() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update("abc".getBytes());
    byte[] out = new byte[40];
    assertThat(md.digest(out, 4, 32)).isEqualTo(32);
    byte[] expected = jdk().digest("abc".getBytes());
    byte[] got = new byte[32];
    System.arraycopy(out, 4, got, 0, 32);
    assertThat(got).isEqualTo(expected);
    // the JDK throws DigestException, the Corretto provider IllegalArgumentException; the project never digests
    // into a caller's buffer
    assertThatThrownBy(() -> md.digest(new byte[31], 0, 31))
        .isInstanceOfAny(DigestException.class, IllegalArgumentException.class);
  }

  @Test
  void bothPiecesPassTheirKnownAnswerSelfTests() {
    assertThat(CryptoSelfTest.sha256(Corretto.PROVIDER)).isTrue();
    assertThat(CryptoSelfTest.aesGcm(Corretto.PROVIDER)).isTrue();
    assertThat(CryptoProvider.sha256Source()).startsWith("AmazonCorrettoCryptoProvider 2.");
  }
}
