package io.github.syscontainers.bench;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ImportLimits;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.RepoMode;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Imports one layer file into a repository, the operation {@code ostree commit --tree=tar=FILE} performs, for the
 * side-by-side run of {@code bench/import-layer.sh}: {@code ImportLayer REPO MODE LAYER}. Prints the wall time of
 * the import itself.
 */
public final class ImportLayer {
  private ImportLayer() {}

  public static void main(String[] args) throws Exception {
    Path repoDir = Path.of(args[0]);
    RepoMode mode = RepoMode.fromConfig(args[1]).orElseThrow();
    Path layer = Path.of(args[2]);
    long start = System.nanoTime();
    // as the CLI does for a large layer: the native SHA-256 outside the provider list, loaded at the first digest
    io.github.syscontainers.model.Digest.preferSha256(io.github.syscontainers.platform.CryptoProvider.sha256Lazily());
    OstreeRepository repo = OstreeRepository.openOrCreate(repoDir, mode);
    Descriptor d =
        Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256Of(layer.toString().getBytes()), Files.size(layer));
    try (InputStream in = new BufferedInputStream(Files.newInputStream(layer), 1 << 16)) {
      new ImageStore(repo, Clock.systemUTC()).importLayer(d, in, Optional.empty(), ImportLimits.DEFAULT);
    }
    System.out.printf("import_ms=%d%n", (System.nanoTime() - start) / 1_000_000);
  }
}
