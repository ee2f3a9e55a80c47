package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code fsck} of a repository: every object reachable from a ref is re-hashed (metadata objects are also decoded),
 * every layer that keeps a tar-split record is rebuilt and its SHA-256 compared with its DiffID, and each problem
 * names the object and a ref that reaches it. Repair removes corrupt objects and the refs that
 * reach them, then whatever no ref reaches any more, so the repository passes {@code ostree fsck} again and the
 * next pull fetches those layers again (install re-pulls an image whose layers went).
 */
public final class RepositoryChecker {
  private final OstreeRepository repo;

  public RepositoryChecker(OstreeRepository repo) {
    this.repo = repo;
  }

  /** What {@link Problem#ref} is for a payload link that does not hold: no ref reaches a link. */
  static final String PAYLOAD_LINK = "(payload link)";

  /** One corrupt or missing object, or a payload link that does not hold. */
  public record Problem(ObjectId object, ObjectType type, String ref, String detail) {
    /** Returns a one-line description. */
    public String describe() {
      if (ref.equals(PAYLOAD_LINK)) {
        return "Broken payload link for content " + object + ": " + detail;
      }
      return "Corrupted or missing object " + object + "." + type.extension() + " (reached by " + ref + "): " + detail;
    }
  }

  /**
   * What a check found; {@code removedRefs} is filled by a repair, and {@code linksMade} counts the payload links a
   * repair made for stored files that had none ({@code core.payload-link-threshold}).
   */
  public record Report(long objectsChecked, List<Problem> problems, List<String> removedRefs, long linksMade) {
    public Report(long objectsChecked, List<Problem> problems, List<String> removedRefs) {
      this(objectsChecked, problems, removedRefs, 0);
    }
  }

  /** Checks every reachable object, under the shared lock. */
  public Report check() throws ObjectStoreException {
    try (RepoLock lock = repo.lockShared()) {
      return scan();
    }
  }

  /** Checks, then removes corrupt objects and the refs that reach them, under the exclusive lock. */
  public Report repair() throws ObjectStoreException {
    try (RepoLock lock = repo.lockExclusive()) {
      Report r = scan();
      if (r.problems().isEmpty()) {
        return new Report(r.objectsChecked(), r.problems(), List.of(), rebuildLinks());
      }
      Set<Reachability.Key> bad = new HashSet<>();
      for (Problem p : r.problems()) {
        if (p.ref().equals(PAYLOAD_LINK)) {
          Files.deleteIfExists(repo.payloadLinks().path(Digest.parse("sha256:" + p.object().hex())));
        } else {
          bad.add(new Reachability.Key(p.object(), p.type()));
        }
      }
      List<String> refs = new ArrayList<>(Reachability.refsReaching(repo, bad));
      for (String ref : refs) {
        repo.deleteRef(ref);
      }
      for (Reachability.Key k : bad) {
        Files.deleteIfExists(repo.objectPath(k.id(), k.type()));
      }
      // the commits of the removed refs still name the bad objects: drop everything no ref reaches now
      new Pruner(repo).pruneUnreachable();
      return new Report(r.objectsChecked(), r.problems(), refs, rebuildLinks());
    } catch (IOException e) {
      throw e instanceof ObjectStoreException
          ? (ObjectStoreException) e
          : new ObjectStoreException("Tried to repair " + repo.path() + " but failed: " + e.getMessage(), e);
    }
  }

  /** Links every stored file over the threshold that has no payload link yet, when the repository keeps them. */
  private long rebuildLinks() throws ObjectStoreException {
    java.util.OptionalLong threshold = repo.mode() == RepoMode.ARCHIVE ? java.util.OptionalLong.empty()
        : repo.config().payloadLinkThreshold();
    if (threshold.isEmpty()) {
      return 0;
    }
    Set<ObjectId> files = new HashSet<>();
    for (Reachability.Key k : new Reachability(repo).walkAll().reached().keySet()) {
      if (k.type() == ObjectType.FILE) {
        files.add(k.id());
      }
    }
    return repo.payloadLinks().rebuild(files, threshold.getAsLong());
  }

  private Report scan() throws ObjectStoreException {
    Reachability reach = new Reachability(repo).walkAll();
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<Reachability.Key, String> b : reach.broken().entrySet()) {
      problems.add(new Problem(b.getKey().id(), b.getKey().type(), reach.reached().get(b.getKey()), b.getValue()));
    }
    long checked = 0;
    for (Map.Entry<Reachability.Key, String> e : reach.reached().entrySet()) {
      Reachability.Key k = e.getKey();
      if (k.type() == ObjectType.FILE) {
        checked++;
        checkContent(k.id(), e.getValue(), problems);
      } else {
        checked++;
        if (!reach.broken().containsKey(k) && k.type() == ObjectType.DIR_META) {
          try {
            repo.readDirMeta(k.id());
          } catch (ObjectStoreException ex) {
            problems.add(new Problem(k.id(), k.type(), e.getValue(), ex.getMessage()));
          }
        }
      }
    }
    for (PayloadLinks.BadLink b : repo.payloadLinks().check()) {
      String name = b.link().getParent().getFileName() + b.link().getFileName().toString().substring(0, 62);
      problems.add(new Problem(new ObjectId(name), ObjectType.FILE, PAYLOAD_LINK, b.link() + ": " + b.reason()));
    }
    checked += checkTarSplits(problems);
    checked += checkKeptBlobs(problems);
    return new Report(checked, problems, List.of());
  }

  /**
   * Hashes every kept compressed blob ({@code keep-blobs=true}) of a stored layer; one that is not the blob its name
   * says is a problem of that layer's commit, which a repair drops so that the next pull fetches (and keeps) it again.
   */
  private long checkKeptBlobs(List<Problem> problems) throws ObjectStoreException {
    java.nio.file.Path dir = repo.path().resolve("extensions/syscontainers/blobs/sha256");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long checked = 0;
    try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(dir)) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
        String hex = f.getFileName().toString();
        Optional<ObjectId> commit = hex.matches("[0-9a-f]{64}") ? repo.resolveRef("ociimage/" + hex) : Optional.empty();
        if (commit.isEmpty()) {
          continue; // a leftover or the blob of a layer no longer stored: images prune removes it
        }
        checked++;
        MessageDigest sha = Digest.newSha256();
        try (java.io.InputStream in = Files.newInputStream(f)) {
          byte[] buf = new byte[1 << 16];
          int n;
          while ((n = in.read(buf)) > 0) {
            sha.update(buf, 0, n);
          }
        }
        if (!HexFormat.of().formatHex(sha.digest()).equals(hex)) {
          problems.add(new Problem(commit.get(), ObjectType.COMMIT, "ociimage/" + hex,
              "its kept compressed blob " + f + " is not the blob its name says"));
        }
      }
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot check the kept blobs in " + dir + ": " + e.getMessage(), e);
    }
    return checked;
  }

  /**
   * Rebuilds the tar of every layer commit that keeps a tar-split record ({@code keep-tar-split=true}, or atomic's)
   * and compares its SHA-256 with the DiffID the commit records; returns how many were checked.
   */
  private long checkTarSplits(List<Problem> problems) throws ObjectStoreException {
    LayerTarExporter exporter = new LayerTarExporter(repo);
    long checked = 0;
    for (Map.Entry<String, ObjectId> ref : repo.listRefs("ociimage/").entrySet()) {
      String name = ref.getKey();
      if (!name.matches("ociimage/[0-9a-f]{64}")) {
        continue;
      }
      Commit commit = repo.readCommit(ref.getValue());
      Optional<String> diffId = commit.stringMetadata(ImageStore.UNCOMPRESSED_DIGEST);
      if (!LayerTarExporter.hasRecord(commit) || diffId.isEmpty()) {
        continue;
      }
      checked++;
      Digest layer = Digest.parse("sha256:" + name.substring("ociimage/".length()));
      // the layer's whole tar: the provider in use (a native one in the CLI), not the JDK's on C1
      MessageDigest sha = Digest.newSha256();
      try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
        exporter.write(layer, out);
        String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(diffId.get())) {
          problems.add(new Problem(ref.getValue(), ObjectType.COMMIT, name,
              "its tar-split record rebuilds a tar of " + actual + ", not its DiffID " + diffId.get()));
        }
      } catch (IOException e) {
        problems.add(new Problem(ref.getValue(), ObjectType.COMMIT, name,
            "its tar-split record does not rebuild its tar: " + e.getMessage()));
      }
    }
    return checked;
  }

  /** Recomputes a content object's checksum from what is stored. */
  public static ObjectId recompute(OstreeRepository repo, ContentObject obj) throws IOException {
    return ContentHasher.checksum(repo, obj);
  }

  private void checkContent(ObjectId id, String ref, List<Problem> problems) {
    Path p = repo.objectPath(id, ObjectType.FILE);
    try {
      ContentObject obj = repo.loadContent(id);
      ObjectId actual = ContentHasher.checksum(repo, obj);
      if (!actual.equals(id)) {
        problems.add(new Problem(id, ObjectType.FILE, ref, "checksum expected " + id + " actual " + actual));
      }
    } catch (IOException e) {
      problems.add(new Problem(id, ObjectType.FILE, ref, e.getMessage() + " (" + p + ")"));
    }
  }
}
