package io.github.syscontainers.bench;

import io.github.syscontainers.checkout.CheckoutMode;
import io.github.syscontainers.checkout.FileTrees;
import io.github.syscontainers.checkout.UnionCheckout;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import io.github.syscontainers.objectstore.DirTree;
import io.github.syscontainers.objectstore.FileMeta;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ImportLimits;
import io.github.syscontainers.objectstore.ObjectId;
import io.github.syscontainers.objectstore.OstreeCodec;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.RepoMode;
import io.github.syscontainers.objectstore.Xattr;
import io.github.syscontainers.objectstore.tar.TarEntry;
import io.github.syscontainers.objectstore.tar.TarReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH microbenchmarks of the hot paths (issue 8): GVariant encoding of a file header and of a dirtree, content
 * hashing of a 64 KiB file (the "already stored" path: hash, then one stat), tar entries to objects, and a linking
 * checkout of a 200-file commit. Run with {@code bench/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPaths {
  private static final int FILES = 200;

  private FileMeta meta;
  private DirTree tree;
  private byte[] payload;
  private byte[] tar;
  private Path dir;
  private OstreeRepository repo;
  private ObjectId commit;
  private Path checkoutDest;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    meta = new FileMeta(0, 0, 0100755, List.of(new Xattr("security.capability", new byte[20])));
    List<DirTree.FileEntry> files = new ArrayList<>();
    List<DirTree.DirEntry> dirs = new ArrayList<>();
    ObjectId id = ObjectId.of(new byte[32]);
    for (int i = 0; i < FILES; i++) {
      files.add(new DirTree.FileEntry(String.format("file-%04d.py", i), id));
    }
    for (int i = 0; i < 20; i++) {
      dirs.add(new DirTree.DirEntry(String.format("dir-%02d", i), id, id));
    }
    tree = new DirTree(files, dirs);
    payload = new byte[64 << 10];
    new Random(1).nextBytes(payload);
    tar = smallFilesTar();
    dir = Files.createTempDirectory("syscontainers-jmh");
    repo = OstreeRepository.openOrCreate(dir.resolve("repo"), RepoMode.BARE_USER);
    ImageStore store = new ImageStore(repo, Clock.systemUTC());
    byte[] gz = gzip(tar);
    Descriptor d = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256Of(gz), gz.length);
    store.importLayer(d, new ByteArrayInputStream(gz), Optional.empty(), ImportLimits.DEFAULT);
    commit = store.layerCommit(d.digest());
    repo.writeFile(meta, payload, payload.length);
    checkoutDest = dir.resolve("checkout");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    FileTrees.deleteRecursively(dir);
  }

  private static byte[] smallFilesTar() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Random r = new Random(2);
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(b, StandardCharsets.UTF_8.name())) {
      for (int i = 0; i < FILES; i++) {
        byte[] data = new byte[512 + r.nextInt(8192)];
        r.nextBytes(data);
        TarArchiveEntry e = new TarArchiveEntry(String.format("usr/lib/app/file-%04d.py", i));
        e.setSize(data.length);
        e.setMode(0100644);
        out.putArchiveEntry(e);
        out.write(data);
        out.closeArchiveEntry();
      }
    }
    return b.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(b)) {
      z.write(data);
    }
    return b.toByteArray();
  }

  /** GVariant: the hashed header of a file object with a capability xattr. */
  @Benchmark
  public byte[] encodeFileHeader() {
    return OstreeCodec.encodeFileHeader(meta, "");
  }

  /** GVariant: a dirtree of 200 files and 20 directories. */
  @Benchmark
  public byte[] encodeDirTree() {
    return OstreeCodec.encodeDirTree(tree);
  }

  /** Content hashing of a 64 KiB file already in the store: header and bytes hashed, one stat. */
  @Benchmark
  public ObjectId hashStoredFile64k() throws Exception {
    return repo.writeFile(meta, payload, payload.length).id();
  }

  /** 200 tar entries (0.5–8.5 KiB) parsed and turned into objects that are already stored (the dedup path). */
  @Benchmark
  public int tarEntriesToObjects() throws Exception {
    TarReader reader = new TarReader(new ByteArrayInputStream(tar));
    TarEntry e;
    int n = 0;
    while ((e = reader.next()) != null) {
      byte[] data = reader.data().readNBytes((int) e.size());
      repo.writeFile(new FileMeta(0, 0, 0100644, List.of()), data, data.length);
      n++;
    }
    return n;
  }

  /** A linking checkout of the 200-file commit into an empty directory (the directory removed between runs). */
  @Benchmark
  public void linkingCheckout200Files() throws Exception {
    new UnionCheckout(repo, CheckoutMode.USER, true).checkout(List.of(commit), checkoutDest);
  }

  @TearDown(Level.Invocation)
  public void clearCheckout() throws Exception {
    if (Files.exists(checkoutDest)) {
      FileTrees.deleteRecursively(checkoutDest);
    }
  }
}
