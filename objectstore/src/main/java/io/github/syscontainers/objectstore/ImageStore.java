package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.objectstore.chunked.ChunkedLayer;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImagePath;
import io.github.syscontainers.objectstore.gvariant.Variant;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Images in the repository, laid out as skopeo's {@code ostree:} transport laid them out for atomic: a commit per
 * layer at {@code ociimage/<layer hex>}, the config blob as a commit holding {@code /content}, and the image commit
 * at {@code ociimage/<encoded name>} with {@code docker.manifest} and {@code docker.digest}. Repositories atomic left
 * behind read as they are; a repository this writes reads in atomic.
 *
 * <p>Thread-safe.
 */
public final class ImageStore {
  /** The prefix of every image ref. */
  public static final String PREFIX = "ociimage/";

  static final String SIZE = "docker.size";
  static final String UNCOMPRESSED_SIZE = "docker.uncompressed_size";
  static final String UNCOMPRESSED_DIGEST = "docker.uncompressed_digest";
  /**
   * The layer's tar-split record, base64 of gzip-compressed JSON lines, as skopeo's ostree transport kept it: what
   * rebuilds the uncompressed tar byte for byte from the stored files (issue 31).
   */
  static final String TAR_SPLIT = "tarsplit.output";
  /**
   * For a record larger than the repository's inline limit, kept in a file of its own ({@link #tarSplitRecords}): the
   * SHA-256 of that file.
   */
  static final String TAR_SPLIT_OBJECT = "syscontainers.tarsplit.object";
  static final String MANIFEST = "docker.manifest";
  static final String DIGEST = "docker.digest";
  private static final long MAX_CONFIG = 16L << 20;
  private static final long MAX_SIGNATURE = 4L << 20;
  static final String SIGNATURES = "signatures";

  private final OstreeRepository repo;
  private final Clock clock;
  private final AtomicReference<StoreTransaction> open = new AtomicReference<>();

  public ImageStore(OstreeRepository repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  /** Returns the repository. */
  public OstreeRepository repository() {
    return repo;
  }

  /**
   * Begins a transaction: until it is published, the layers, configs and images this store records have their refs
   * staged, seen by this store's reads but not yet on disk. One at a time per store.
   */
  public StoreTransaction begin() throws ObjectStoreException {
    RepoLock lock = repo.lockShared();
    StoreTransaction t = new StoreTransaction(repo, lock, () -> open.set(null));
    if (!open.compareAndSet(null, t)) {
      lock.close();
      throw new IllegalStateException("A transaction is already open on the store " + repo.path());
    }
    return t;
  }

  /** The commit of {@code ref}: staged by the open transaction, else on disk. */
  private Optional<ObjectId> resolve(String ref) throws ObjectStoreException {
    StoreTransaction t = open.get();
    Optional<ObjectId> staged = t == null ? Optional.empty() : t.staged(ref);
    return staged.isPresent() ? staged : repo.resolveRef(ref);
  }

  /** Records a new commit at {@code ref}: synced and set, or written and staged in the open transaction. */
  private ObjectId record(String ref, MutableTree.Written root, Map<String, String> md) throws ObjectStoreException {
    StoreTransaction t = open.get();
    ObjectId commit = CommitWriter.write(repo, root, md, clock, t == null);
    if (t == null) {
      repo.setRef(ref, commit);
    } else {
      t.stage(ref, commit);
    }
    return commit;
  }

  /** Returns the ref of a layer or config blob: {@code ociimage/<hex>}. */
  public static String blobRef(Digest digest) {
    return PREFIX + digest.hex();
  }

  /** Returns the ref of an image name: {@code ociimage/<encoded name>}. */
  public static String imageRef(String name) {
    return PREFIX + RefNames.encode(name);
  }

  /** Returns true when the layer's commit is stored with the metadata that marks a complete import. */
  public boolean hasLayer(Digest layer) throws ObjectStoreException {
    Optional<Commit> c = storedLayerCommit(layer);
    return c.isPresent()
        && c.get().metadata().containsKey(SIZE)
        && c.get().metadata().containsKey(UNCOMPRESSED_SIZE)
        && c.get().metadata().containsKey(UNCOMPRESSED_DIGEST);
  }

  /** The import limits the repository's config sets ({@link ImportLimits#of}), the defaults where it sets none. */
  public ImportLimits importLimits() throws ObjectStoreException {
    return ImportLimits.of(repo.config(), repo.path().resolve("config").toString());
  }

  /** The uncompressed size recorded for a stored layer ({@code docker.uncompressed_size}), if it is stored. */
  public Optional<Long> layerUncompressedSize(Digest layer) throws ObjectStoreException {
    Optional<String> v = storedLayerCommit(layer).flatMap(c -> c.stringMetadata(UNCOMPRESSED_SIZE));
    try {
      return v.map(Long::parseLong);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The DiffID recorded for a stored layer ({@code docker.uncompressed_digest}), if the layer is stored. */
  public Optional<Digest> layerDiffId(Digest layer) throws ObjectStoreException {
    return storedLayerCommit(layer)
        .flatMap(c -> Optional.ofNullable(c.metadata().get(UNCOMPRESSED_DIGEST)))
        .flatMap(Variant::asString)
        .flatMap(Digest::tryParse);
  }

  private Optional<Commit> storedLayerCommit(Digest layer) throws ObjectStoreException {
    Optional<ObjectId> commit = resolve(blobRef(layer));
    if (commit.isEmpty() || !repo.hasObject(commit.get(), ObjectType.COMMIT)) {
      return Optional.empty();
    }
    return Optional.of(repo.readCommit(commit.get()));
  }

  /**
   * Imports a layer blob and records it at {@code ociimage/<hex>}. The caller has verified the blob's own digest
   * while streaming; this verifies the DiffID when one is given.
   */
  public ObjectId importLayer(Descriptor layer, InputStream blob, Optional<Digest> diffId, ImportLimits limits)
      throws ObjectStoreException {
    return importLayer(layer, blob, diffId, ImportBudget.of(limits));
  }

  /** Imports a layer as {@link #importLayer(Descriptor, InputStream, Optional, ImportLimits)}, within an image's budget. */
  public ObjectId importLayer(Descriptor layer, InputStream blob, Optional<Digest> diffId, ImportBudget budget)
      throws ObjectStoreException {
    return importLayer(layer, blob, diffId, budget, true);
  }

  /**
   * Imports a layer whose uncompressed tar was rebuilt from its tar-split record and its files (a partial pull), as
   * {@link #importLayer(Descriptor, InputStream, Optional, ImportBudget)} imports its blob; its DiffID is checked, and
   * no compressed blob is kept (there is none). {@code stored} names, by a file's name in the tar, the object its
   * data came from: one that holds its metadata too is taken as it is ({@link LayerImporter#knowing}).
   */
  public ObjectId importRebuiltLayer(Descriptor layer, InputStream tar, Digest diffId, ImportBudget budget,
      java.util.function.Function<String, Optional<ObjectId>> stored) throws ObjectStoreException {
    return importLayer(layer, tar, Optional.of(diffId), budget, false, stored);
  }

  private ObjectId importLayer(Descriptor layer, InputStream blob, Optional<Digest> diffId, ImportBudget budget,
      boolean isBlob) throws ObjectStoreException {
    return importLayer(layer, blob, diffId, budget, isBlob, name -> Optional.empty());
  }

  private ObjectId importLayer(Descriptor layer, InputStream blob, Optional<Digest> diffId, ImportBudget budget,
      boolean isBlob, java.util.function.Function<String, Optional<ObjectId>> stored) throws ObjectStoreException {
    // one shared hold from the first object to the ref, so a prune cannot take objects no ref reaches yet
    RepoConfig config = repo.config();
    try (RepoLock lock = repo.lockShared();
        KeptBlob kept = config.keepBlobs() && isBlob ? KeptBlob.start(keptBlobs(), layer.digest()) : null;
        TarSplitSpool spool = config.keepTarSplit()
            ? new TarSplitSpool(tarSplitRecords(), layer.digest(), config.tarSplitInlineMax()) : null) {
      InputStream in = kept == null ? blob : kept.tee(blob);
      LayerImporter importer = new LayerImporter(repo, budget).knowing(stored).sized(layer.size());
      if (ChunkedLayer.of(layer).filter(c -> c instanceof ChunkedLayer.Partial).isPresent()) {
        importer.linkingPayloads(); // its files are what a partial pull of the image's next version looks up
      }
      String description = layer.digest().toString();
      ImportedLayer imported = spool == null ? importer.importLayer(in, diffId, description)
          : importer.importLayer(in, diffId, description, spool.stream());
      try {
        if (kept != null) {
          kept.keep(layer); // the whole blob went through, and the source verified it at its end
        }
        Map<String, String> md = new LinkedHashMap<>();
        md.put(SIZE, Long.toString(layer.size()));
        md.put(UNCOMPRESSED_SIZE, Long.toString(imported.uncompressedSize()));
        md.put(UNCOMPRESSED_DIGEST, imported.diffId().toString());
        if (spool != null) {
          md.putAll(spool.finish()); // a record file is in place before the commit that names it
        }
        return record(blobRef(layer.digest()), imported.root(), md);
      } catch (ObjectStoreException e) {
        // the disk may fill after the files, at the commit: the same failure, said the same way
        throw DiskFull.in(e) ? DiskFull.whileImporting(repo.path(), description, e) : e;
      }
    }
  }

  /**
   * Where tar-split records too large for a commit's metadata are kept: {@code extensions/syscontainers/tar-split} of
   * the repository, a directory OSTree leaves alone, one gzip-compressed JSON file per layer named by the layer's hex.
   */
  public Path tarSplitRecords() {
    return tarSplitRecords(repo.path());
  }

  static Path tarSplitRecords(Path repository) {
    return repository.resolve("extensions/syscontainers/tar-split").resolve("sha256");
  }

  /**
   * Where compressed layer blobs are kept ({@link RepoConfig#keepBlobs}): {@code extensions/syscontainers/blobs} of the
   * repository, a directory OSTree leaves alone, one file per blob named by its digest's hex.
   */
  public Path keptBlobs() {
    return repo.path().resolve("extensions/syscontainers/blobs").resolve("sha256");
  }

  /** The kept compressed blob of a stored layer, if the store keeps it. */
  public Optional<Path> keptBlob(Digest layer) {
    Path p = keptBlobs().resolve(layer.hex());
    return layer.algorithm().equals("sha256") && Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** Stores a config blob as a commit holding {@code /content}. */
  public ObjectId storeConfig(Digest digest, byte[] config) throws ObjectStoreException {
    if (!digest.matches(digest.newMessageDigest().digest(config))) {
      throw new ObjectStoreException("The config blob does not match its digest " + digest + "; fetch it again");
    }
    try (RepoLock lock = repo.lockShared()) {
      return commitSingleFile(blobRef(digest), "content", config, Map.of(SIZE, Long.toString(config.length)));
    }
  }

  /** Records the image commit for {@code name}, pointing at the stored manifest. */
  public ObjectId storeImage(String name, byte[] manifest, Digest manifestDigest) throws ObjectStoreException {
    return storeImage(name, manifest, manifestDigest, List.of());
  }

  /**
   * Records the image commit for {@code name}, with its signatures as skopeo's ostree transport kept them: files
   * {@code signature-1} … {@code signature-N} beside {@code manifest.json}, and their count in {@code signatures}.
   */
  public ObjectId storeImage(String name, byte[] manifest, Digest manifestDigest, List<byte[]> signatures)
      throws ObjectStoreException {
    return storeImage(name, manifest, manifestDigest, signatures, Map.of());
  }

  /**
   * Records the image commit for {@code name} with its signatures, and {@code extra} string metadata of the
   * caller's (keys outside the {@code docker.} and {@code signatures} ones skopeo wrote, which readers of it ignore).
   */
  public ObjectId storeImage(String name, byte[] manifest, Digest manifestDigest, List<byte[]> signatures,
      Map<String, String> extra) throws ObjectStoreException {
    Map<String, String> md = new LinkedHashMap<>();
    md.put(MANIFEST, new String(manifest, StandardCharsets.UTF_8));
    md.put(DIGEST, manifestDigest.toString());
    md.put(SIGNATURES, Integer.toString(signatures.size()));
    for (Map.Entry<String, String> e : extra.entrySet()) {
      if (md.containsKey(e.getKey())) {
        throw new IllegalArgumentException("metadata key " + e.getKey() + " is the store's own");
      }
      md.put(e.getKey(), e.getValue());
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("manifest.json", manifest);
    for (int i = 0; i < signatures.size(); i++) {
      files.put("signature-" + (i + 1), signatures.get(i));
    }
    try (RepoLock lock = repo.lockShared()) {
      return commitFiles(imageRef(name), files, md);
    }
  }

  /** A string the image commit of {@code image} records under {@code key}. */
  public Optional<String> metadata(StoredImage image, String key) throws ObjectStoreException {
    return repo.readCommit(image.commit()).stringMetadata(key);
  }

  /** The signatures stored with an image ({@code signature-1} … of its commit), in order. */
  public List<byte[]> signatures(StoredImage image) throws ObjectStoreException {
    Commit c = repo.readCommit(image.commit());
    int n;
    try {
      n = Integer.parseInt(c.stringMetadata(SIGNATURES).orElse("0"));
    } catch (NumberFormatException e) {
      n = 0;
    }
    List<byte[]> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Optional<byte[]> sig = Trees.readFile(repo, c.rootTree(), ImagePath.of("/signature-" + i), MAX_SIGNATURE);
      if (sig.isEmpty()) {
        break;
      }
      out.add(sig.get());
    }
    return out;
  }

  private ObjectId commitSingleFile(String ref, String fileName, byte[] data, Map<String, String> md)
      throws ObjectStoreException {
    return commitFiles(ref, Map.of(fileName, data), md);
  }

  private ObjectId commitFiles(String ref, Map<String, byte[]> files, Map<String, String> md)
      throws ObjectStoreException {
    try (RepoLock lock = repo.lockShared()) {
      MutableTree root = new MutableTree();
      FileMeta meta = new FileMeta(0, 0, FileMeta.S_IFREG | 0644, List.of());
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        root.putFile(f.getKey(), repo.writeFile(meta, f.getValue(), f.getValue().length).id());
      }
      return record(ref, root.write(repo), md);
    }
  }

  /** Finds the image recorded under {@code name}. */
  public Optional<StoredImage> findImage(String name) throws ObjectStoreException {
    String ref = imageRef(name);
    Optional<ObjectId> commit = resolve(ref);
    if (commit.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(read(name, ref, commit.get()));
  }

  /** Lists images; without {@code all}, the refs of layers and configs (hex names) are left out. */
  public List<StoredImage> listImages(boolean all) throws ObjectStoreException {
    List<StoredImage> out = new ArrayList<>();
    for (Map.Entry<String, ObjectId> e : repo.listRefs(PREFIX).entrySet()) {
      String suffix = e.getKey().substring(PREFIX.length());
      boolean hex = ObjectId.isValid(suffix);
      if (hex && !all) {
        continue;
      }
      out.add(read(hex ? suffix : RefNames.decode(suffix), e.getKey(), e.getValue()));
    }
    return out;
  }

  private StoredImage read(String name, String ref, ObjectId commitId) throws ObjectStoreException {
    Commit c = repo.readCommit(commitId);
    String manifest = c.stringMetadata(MANIFEST).orElse("{}");
    ManifestLayers.Parsed parsed = ManifestLayers.parse(manifest);
    Optional<Digest> digest = c.stringMetadata(DIGEST).flatMap(Digest::tryParse);
    return new StoredImage(
        name, ref, commitId, Instant.ofEpochSecond(c.timestamp()), manifest, digest, parsed.layers(), parsed.config());
  }

  /** Deletes the image ref of {@code name}; layers stay until a prune. Returns false when there was none. */
  public boolean deleteImage(String name) throws ObjectStoreException {
    return repo.deleteRef(imageRef(name));
  }

  /** Points {@code dest} at the image commit of {@code src}, as atomic's {@code images tag}. */
  public void tag(String src, String dest) throws ObjectStoreException {
    ObjectId commit =
        repo.resolveRef(imageRef(src))
            .orElseThrow(
                () -> new ObjectStoreException("Internal error for image: " + src + ".  Please pull the image again"));
    repo.setRef(imageRef(dest), commit);
  }

  /**
   * Deletes the refs of layers and configs that no image needs, as atomic's {@code images prune} did, but keeping
   * the config of every live image (atomic deleted those and lost their labels). Returns the deleted refs.
   */
  public List<String> pruneRefs() throws ObjectStoreException {
    try (RepoLock lock = repo.lockExclusive()) {
      java.util.Set<String> needed = new java.util.HashSet<>();
      Map<String, ObjectId> refs = repo.listRefs(PREFIX);
      for (Map.Entry<String, ObjectId> e : refs.entrySet()) {
        if (!ObjectId.isValid(e.getKey().substring(PREFIX.length()))) {
          StoredImage image = read(e.getKey(), e.getKey(), e.getValue());
          image.layers().forEach(l -> needed.add(blobRef(l)));
          image.config().ifPresent(c -> needed.add(blobRef(c)));
        }
      }
      List<String> deleted = new ArrayList<>();
      for (String ref : refs.keySet()) {
        if (ObjectId.isValid(ref.substring(PREFIX.length())) && !needed.contains(ref)) {
          repo.deleteRef(ref);
          deleted.add(ref);
        }
      }
      java.util.Set<String> neededHex = needed.stream().map(r -> r.substring(PREFIX.length()))
          .collect(java.util.stream.Collectors.toSet());
      KeptBlob.removeUnneeded(keptBlobs(), neededHex);
      KeptBlob.removeUnneeded(tarSplitRecords(), neededHex);
      return deleted;
    }
  }

  /** Returns the sum of the stored layers' compressed sizes ({@code docker.size}), if every layer has one. */
  public Optional<Long> virtualSize(StoredImage image) throws ObjectStoreException {
    long total = 0;
    for (Digest layer : image.layers()) {
      Optional<ObjectId> c = resolve(blobRef(layer));
      if (c.isEmpty()) {
        return Optional.empty();
      }
      Optional<String> size = repo.readCommit(c.get()).stringMetadata(SIZE);
      if (size.isEmpty()) {
        return Optional.empty();
      }
      try {
        total += Long.parseLong(size.get());
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.of(total);
  }

  /** Returns the commit of a stored layer, or fails with atomic's message when the layer is missing. */
  public ObjectId layerCommit(Digest layer) throws ObjectStoreException {
    return resolve(blobRef(layer))
        .orElseThrow(
            () -> new ObjectStoreException("Layer not found: " + layer.hex() + ".  Please pull the image again"));
  }

  /** Reads a stored config blob. */
  public Optional<byte[]> readConfig(Digest config) throws ObjectStoreException {
    Optional<ObjectId> commit = resolve(blobRef(config));
    if (commit.isEmpty()) {
      return Optional.empty();
    }
    Commit c = repo.readCommit(commit.get());
    return Trees.readFile(repo, c.rootTree(), ImagePath.of("/content"), MAX_CONFIG);
  }
}
