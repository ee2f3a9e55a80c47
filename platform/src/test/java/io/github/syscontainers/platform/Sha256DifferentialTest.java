package io.github.syscontainers.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Peers;
import java.security.MessageDigest;
import java.security.Security;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The native SHA-256 (the Corretto provider's, through {@link CryptoProvider}) against the JDK's, property-style (issue 30): seeded random
 * inputs fed in random chunks, cloned at random points, on eight threads while another thread keeps asking for
 * garbage collection (the review found the digest's context could be freed by its Cleaner during the last native
 * call of a method). Every digest, of the original and of each clone, must equal the JDK's. A failure prints its
 * seed; {@code -Dsyscontainers.diff.cases=N} runs more (CI runs 3,200).
 */
class Sha256DifferentialTest {
  static final int CASES = Integer.getInteger("syscontainers.diff.cases", 3200);

  @Test
  void openSslAndTheJdkAgreeWhateverTheChunksClonesAndThreads() throws Exception {
    Peers.requireNative(CryptoProvider.install(), "the Corretto crypto provider did not load (an x86-64 Linux host is needed)");
    assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName())
        .isEqualTo(CryptoProvider.NAME);
    long base = new Random().nextLong();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean done = new AtomicBoolean();
    Thread gc = new Thread(() -> {
      while (!done.get()) {
        System.gc();
        Thread.onSpinWait();
      }
    });
    gc.start();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        jobs.add(pool.submit(() -> {
          for (int i = thread; i < CASES; i += 8) {
            long seed = base + i;
            try {
              check(seed);
            } catch (Exception | AssertionError e) {
              failures.add("seed " + seed + ": " + e);
            }
          }
          return null;
        }));
      }
      for (Future<?> j : jobs) {
        j.get();
      }
    } finally {
      done.set(true);
      pool.shutdown();
      gc.join();
    }
    assertThat(failures).isEmpty();
  }

  private static void check(long seed) throws Exception {
    Random r = new Random(seed);
    byte[] data = new byte[r.nextInt(4) == 0 ? r.nextInt(64) : r.nextInt(200_000)];
    r.nextBytes(data);
    MessageDigest ours = MessageDigest.getInstance("SHA-256");
    MessageDigest jdk = MessageDigest.getInstance("SHA-256", Security.getProvider("SUN"));
    List<MessageDigest[]> clones = new ArrayList<>();
    for (int at = 0; at < data.length; ) {
      int n = Math.min(data.length - at, r.nextBoolean() ? r.nextInt(16) : r.nextInt(70_000));
      if (n == 1 && r.nextBoolean()) {
        ours.update(data[at]);
        jdk.update(data[at]);
      } else {
        ours.update(data, at, n);
        jdk.update(data, at, n);
      }
      at += n;
      if (r.nextInt(8) == 0) {
        clones.add(new MessageDigest[] {(MessageDigest) ours.clone(), (MessageDigest) jdk.clone()});
      }
    }
    assertThat(ours.digest()).isEqualTo(jdk.digest());
    for (MessageDigest[] c : clones) {
      byte[] extra = new byte[r.nextInt(100)];
      r.nextBytes(extra);
      c[0].update(extra);
      c[1].update(extra);
      assertThat(c[0].digest()).isEqualTo(c[1].digest());
    }
    // and again after the digest reset it
    ours.update(data, 0, Math.min(100, data.length));
    jdk.update(data, 0, Math.min(100, data.length));
    assertThat(ours.digest()).isEqualTo(jdk.digest());
  }
}
