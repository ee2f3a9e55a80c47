package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/** --tls-verify=false sets up JSSE at the first TLS socket, once, not when the client is built. */
class LazySslSocketFactoryTest {
  @Test
  void buildsTheRealFactoryAtItsFirstUseOnly() throws Exception {
    AtomicInteger made = new AtomicInteger();
    LazySslSocketFactory lazy = new LazySslSocketFactory(() -> {
      made.incrementAndGet();
      try {
        return SSLContext.getDefault().getSocketFactory();
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(made).hasValue(0);
    assertThat(lazy.built()).isFalse();
    assertThat(lazy.getSupportedCipherSuites()).isNotEmpty();
    try (var s = lazy.createSocket()) {
      assertThat(s).isInstanceOf(javax.net.ssl.SSLSocket.class);
    }
    assertThat(made).hasValue(1);
    assertThat(lazy.built()).isTrue();
  }

  @Test
  void theUnverifiedMaterialWithoutFilesIsLazy() throws Exception {
    CertsDir none = CertsDir.unverified(List.of(), "127.0.0.1:5000");
    SSLSocketFactory f = none.socketFactory();
    assertThat(f).isInstanceOf(LazySslSocketFactory.class);
    assertThat(((LazySslSocketFactory) f).built()).isFalse();
    assertThat(f.getDefaultCipherSuites()).isNotEmpty();
    assertThat(((LazySslSocketFactory) f).built()).isTrue();
  }
}
