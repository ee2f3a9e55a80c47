package io.github.syscontainers.bench;

import io.github.syscontainers.checkout.CheckoutMode;
import io.github.syscontainers.checkout.FileTrees;
import io.github.syscontainers.checkout.UnionCheckout;
import io.github.syscontainers.objectstore.ObjectId;
import io.github.syscontainers.objectstore.OstreeRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a commit out with hard links, as {@code ostree checkout -U} does, for {@code bench/checkout.sh}:
 * {@code CheckoutCommit REPO REF DEST ROUNDS WARMUP}. With ROUNDS > 0 it times the checkout operation inside one
 * warmed JVM and prints every round; with ROUNDS = 0 it checks out once (for whole-process timing).
 */
public final class CheckoutCommit {
  private CheckoutCommit() {}

  public static void main(String[] args) throws Exception {
    OstreeRepository repo = OstreeRepository.open(Path.of(args[0]));
    ObjectId commit = repo.resolveRef(args[1]).orElseThrow();
    Path dest = Path.of(args[2]);
    int rounds = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    CheckoutMode mode = CheckoutMode.USER;
    if (rounds == 0) {
      new UnionCheckout(repo, mode, true).checkout(List.of(commit), dest);
      return;
    }
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < warmup + rounds; i++) {
      FileTrees.deleteRecursively(dest);
      long t = System.nanoTime();
      new UnionCheckout(repo, mode, true).checkout(List.of(commit), dest);
      long ms = (System.nanoTime() - t) / 1_000_000;
      if (i >= warmup) {
        times.add(ms);
        System.out.println("checkout_ms=" + ms);
      }
    }
    FileTrees.deleteRecursively(dest);
  }
}
