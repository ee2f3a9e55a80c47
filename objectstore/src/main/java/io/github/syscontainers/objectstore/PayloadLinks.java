package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The store's index of file contents, as OSTree keeps it: a payload link {@code objects/PP/REST.payload-link} named by
 * the SHA-256 of a regular file's content (its payload) is a symlink to {@code ../XX/YYY.file}, a content object with
 * that payload. OSTree writes them when {@code core.payload-link-threshold} is set (for files of at least that many
 * bytes, on filesystems with reflinks, to clone payloads); so do we, on any filesystem, so that a layer's table of
 * contents, which names each file by the SHA-256 of its content, can be looked up in the store (partial pulls fetch
 * only what no link finds). A link is made in one {@code symlink} call, so a crash leaves it whole or absent; the first
 * one made for a payload stays, as OSTree keeps it. {@code ostree prune} removes a link whose object it removes, and
 * so does {@link Pruner}.
 *
 * <p>Thread-safe.
 */
public final class PayloadLinks {
  static final String EXTENSION = ".payload-link";
  private static final String PREFIX = "../";
  private final OstreeRepository repo;

  public PayloadLinks(OstreeRepository repo) {
    this.repo = repo;
  }

  /** The link of {@code payload}: {@code objects/PP/REST.payload-link}. */
  Path path(Digest payload) {
    String hex = payload.hex();
    return repo.path().resolve("objects").resolve(hex.substring(0, 2)).resolve(hex.substring(2) + EXTENSION);
  }

  /**
   * Links {@code payload} to the content object {@code object}, unless a link for it is there already.
   *
   * @throws ObjectStoreException when the link cannot be made
   */
  void link(Digest payload, ObjectId object) throws ObjectStoreException {
    Path link = path(payload);
    Path target = Path.of(PREFIX + object.hex().substring(0, 2), object.hex().substring(2) + "."
        + ObjectType.FILE.extension(repo.mode()));
    try {
      try {
        Files.createSymbolicLink(link, target);
      } catch (NoSuchFileException e) {
        Files.createDirectories(link.getParent()); // no object's name starts as this payload's yet
        Files.createSymbolicLink(link, target);
      }
    } catch (FileAlreadyExistsException e) {
      // the first link for a payload stays, as ostree's symlinkat leaves it
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot write the payload link " + link + ": " + e.getMessage(), e);
    }
  }

  /** The content object a link names for {@code payload}, if there is a link and its object is there. */
  public Optional<ObjectId> lookup(Digest payload) throws ObjectStoreException {
    if (!payload.algorithm().equals("sha256")) {
      return Optional.empty();
    }
    Path link = path(payload);
    try {
      Optional<ObjectId> id = target(Files.readSymbolicLink(link));
      return id.filter(o -> Files.exists(repo.objectPath(o, ObjectType.FILE), LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot read the payload link " + link + ": " + e.getMessage(), e);
    }
  }

  /** The object a link's target names ({@code ../XX/YYY.file}), if it names one. */
  static Optional<ObjectId> target(Path target) {
    String t = target.toString();
    String ext = "." + ObjectType.FILE.extension();
    String extz = ".filez";
    if (!t.startsWith(PREFIX) || t.length() < PREFIX.length() + 3 + 62 || t.charAt(PREFIX.length() + 2) != '/') {
      return Optional.empty();
    }
    String rest = t.substring(PREFIX.length() + 3);
    String hex;
    if (rest.endsWith(ext)) {
      hex = t.substring(PREFIX.length(), PREFIX.length() + 2) + rest.substring(0, rest.length() - ext.length());
    } else if (rest.endsWith(extz)) {
      hex = t.substring(PREFIX.length(), PREFIX.length() + 2) + rest.substring(0, rest.length() - extz.length());
    } else {
      return Optional.empty();
    }
    return ObjectId.isValid(hex) ? Optional.of(new ObjectId(hex)) : Optional.empty();
  }

  /** Whether {@code name} in {@code objects/PP/} is a payload link's. */
  static boolean isLink(String name) {
    return name.endsWith(EXTENSION) && name.length() == 62 + EXTENSION.length();
  }

  /** Every payload link of the repository, as files. */
  List<Path> all() throws IOException {
    List<Path> links = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(repo.path().resolve("objects"))) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        if (dir.getFileName().toString().length() != 2 || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (Stream<Path> files = Files.list(dir)) {
          files.filter(f -> isLink(f.getFileName().toString())).forEach(links::add);
        }
      }
    }
    return links;
  }

  /**
   * Checks every link: it must name a content object that is there and whose payload has the SHA-256 the link's name
   * gives; returns a line for each that does not.
   */
  List<BadLink> check() throws ObjectStoreException {
    List<BadLink> bad = new ArrayList<>();
    try {
      for (Path link : all()) {
        String name = link.getParent().getFileName() + link.getFileName().toString().substring(0, 62);
        if (!Files.isSymbolicLink(link)) {
          bad.add(new BadLink(link, "it is not a symlink"));
          continue;
        }
        Optional<ObjectId> target = target(Files.readSymbolicLink(link));
        if (target.isEmpty()) {
          bad.add(new BadLink(link, "it names no content object (" + Files.readSymbolicLink(link) + ")"));
          continue;
        }
        Path object = repo.objectPath(target.get(), ObjectType.FILE);
        if (!Files.exists(object, LinkOption.NOFOLLOW_LINKS)) {
          bad.add(new BadLink(link, "its object " + target.get() + " is not in the repository"));
          continue;
        }
        String actual = payloadSha256(target.get());
        if (!actual.equals(name)) {
          bad.add(new BadLink(link, "its object " + target.get() + " holds content of SHA-256 " + actual));
        }
      }
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot check the payload links of " + repo.path() + ": " + e.getMessage(), e);
    }
    return bad;
  }

  /** A payload link that does not hold, and why. */
  record BadLink(Path link, String reason) {}

  /**
   * Links every regular-file object of {@code objects} of at least {@code threshold} bytes that has no link yet;
   * returns how many it linked.
   */
  long rebuild(Set<ObjectId> objects, long threshold) throws ObjectStoreException {
    long made = 0;
    for (ObjectId id : objects) {
      ContentObject content = repo.loadContent(id);
      if (!content.meta().isRegularFile() || content.size() < threshold) {
        continue;
      }
      Digest payload = Digest.parse("sha256:" + payloadSha256(id));
      if (!Files.exists(path(payload), LinkOption.NOFOLLOW_LINKS)) {
        link(payload, id);
        made++;
      }
    }
    return made;
  }

  private String payloadSha256(ObjectId id) throws ObjectStoreException {
    MessageDigest sha = Digest.newSha256();
    try (InputStream in = repo.openPayload(repo.loadContent(id))) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot read object " + id + ": " + e.getMessage(), e);
    }
    return java.util.HexFormat.of().formatHex(sha.digest());
  }
}
