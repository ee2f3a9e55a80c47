package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** A child process for crash and concurrency tests: {@code ImportMain REPO MODE LAYER.tar.gz}. */
public final class ImportMain {
  private ImportMain() {}

  public static void main(String[] args) throws Exception {
    Path repoDir = Path.of(args[0]);
    RepoMode mode = RepoMode.valueOf(args[1]);
    Path layer = Path.of(args[2]);
    OstreeRepository repo = OstreeRepository.openOrCreate(repoDir, mode);
    byte[] data = Files.readAllBytes(layer);
    Descriptor d = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256Of(data), data.length);
    try (InputStream in = Files.newInputStream(layer)) {
      new ImageStore(repo, Clock.systemUTC()).importLayer(d, in, Optional.empty(), ImportLimits.DEFAULT);
    }
    System.out.println("imported " + d.digest());
  }
}
