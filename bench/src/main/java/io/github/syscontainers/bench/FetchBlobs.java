package io.github.syscontainers.bench;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.registry.ImageSource;
import io.github.syscontainers.registry.ResolvedImage;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fetches an image's manifest, config and layers from a registry into {@code DIR/blobs/sha256/}, verified while
 * they stream, layers three at a time: the bytes {@code skopeo copy docker://REF oci:DIR} moves, for the side-by-side
 * run of {@code bench/pull.sh}. {@code FetchBlobs REF DIR}; plain HTTP allowed.
 */
public final class FetchBlobs {
  private FetchBlobs() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    // as the CLI does for a large pull: the native SHA-256 outside the provider list, loaded at the first digest, and
    // its AES-GCM first in the list (the CLI puts it there only when the registry is reached over TLS)
    io.github.syscontainers.model.Digest.preferSha256(io.github.syscontainers.platform.CryptoProvider.sha256Lazily());
    io.github.syscontainers.platform.CryptoProvider.installCipherLazily();
    Path blobs = Files.createDirectories(Path.of(args[1], "blobs", "sha256"));
    try (ImageSource src =
        ImageSource.open(SourceReference.parse(args[0]), SourceOptions.DEFAULT.withTlsVerify(false))) {
      ResolvedImage image = src.resolve(Platform.host());
      Files.write(blobs.resolve(image.manifestDigest().hex()), image.manifestBytes());
      Files.write(blobs.resolve(image.manifest().config().digest().hex()), image.configBytes());
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<Future<?>> done = new ArrayList<>();
      for (Descriptor layer : image.manifest().layers()) {
        done.add(
            pool.submit(
                () -> {
                  Path tmp = blobs.resolve(layer.digest().hex() + ".partial");
                  try (InputStream in = src.openBlob(layer);
                      FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                          StandardOpenOption.TRUNCATE_EXISTING)) {
                    // whole buffers: a body read gives at most 8 KiB (an Okio segment) at a time. 128 KiB, not
                    // 1 MiB: large writes are slow on a virtual machine that hands its free memory back to the host
                    // (free page reporting, as on Firecracker, or QEMU with virtio-balloon). On the bench machine,
                    // right after a pull exited, `dd conv=fsync` of the 155 MB layer into a new file took 0.90 s
                    // with bs=1M (0.73 s of system time, in copy_folio_from_iter_atomic), 0.74 s with 512k, 0.29 s
                    // with 256k, 0.20 s with 128k and 0.19-0.23 s with 64k or 32k; this fetch, 1.75-2.05 s with 1 MiB
                    // writes and 1.05-1.36 s with 128 KiB ones. The likely cause: a large write makes the page cache
                    // take a large folio, carved from the 2 MiB free blocks the host has taken back, and each page
                    // of it faults into the host when first written. skopeo writes 32 KiB at a time.
                    byte[] buf = new byte[128 << 10];
                    for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
                      ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                      while (b.hasRemaining()) {
                        out.write(b);
                      }
                    }
                    out.force(true); // as skopeo's oci: destination syncs each blob
                  }
                  Files.move(tmp, blobs.resolve(layer.digest().hex()), StandardCopyOption.ATOMIC_MOVE);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
    }
    System.out.printf("fetch_ms=%d%n", (System.nanoTime() - start) / 1_000_000);
  }
}
