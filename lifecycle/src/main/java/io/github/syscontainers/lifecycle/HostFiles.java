package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.unitgen.TemplateSubstitutor;
import io.github.syscontainers.unitgen.UnitGenException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies an image's {@code /exports/hostfs} onto the host and takes it away again, as atomic's
 * {@code rm_add_files_to_host} did (§7.8): {@code renameFiles} renames destinations (a directory key renames
 * everything below it), files listed in {@code installedFilesTemplate} are substituted first, a file that already
 * exists is never overwritten, and every file created is recorded with its checksum so removal leaves alone what
 * the administrator changed. Decisions, recorded here: paths are normalised ({@code /x}, where atomic recorded
 * {@code /./x}); files are copied, never hard-linked (atomic linked only under SELinux with matching labels);
 * directories the install created are removed when they are empty again (atomic leaked them).
 */
final class HostFiles {
  private final Path root;
  private final NoticeListener out;
  private Path journal;

  /** @param root the host root ({@code /}, or the alternate root) recorded paths are under */
  HostFiles(Path root, NoticeListener out) {
    this.root = root;
    this.out = out;
  }

  /**
   * Copies {@code hostfs} to the host; returns {@code path -> checksum} of what was created, in creation order.
   * On failure everything created so far is removed again.
   */
  Map<String, String> install(
      Path hostfs, Map<String, String> renames, List<String> templates, Map<String, ?> values)
      throws LifecycleException {
    return install(hostfs, renames, templates, values, null);
  }

  /**
   * As {@link #install(Path, Map, List, Map)}, noting each file in {@code journal} (checksum and path) before it is
   * created, so that what a killed process created can be found and removed by the next one (see
   * {@link #journaled}).
   */
  Map<String, String> install(
      Path hostfs, Map<String, String> renames, List<String> templates, Map<String, ?> values, Path journal)
      throws LifecycleException {
    Map<String, String> created = new LinkedHashMap<>();
    if (!Files.isDirectory(hostfs, LinkOption.NOFOLLOW_LINKS)) {
      return created;
    }
    this.journal = journal;
    try {
      copyTree(hostfs, hostfs, renames, templates, values, created);
      return created;
    } catch (IOException | UnitGenException | RuntimeException e) {
      remove(created);
      throw new LifecycleException(
          e instanceof UnitGenException ? e.getMessage() : "Tried to copy host files but failed: " + e.getMessage(), e);
    }
  }

  private void copyTree(
      Path hostfs, Path dir, Map<String, String> renames, List<String> templates, Map<String, ?> values,
      Map<String, String> created)
      throws IOException, UnitGenException {
    List<Path> dirs = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path e : entries) {
        (Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS) ? dirs : files).add(e);
      }
    }
    dirs.sort(null);
    files.sort(null);
    for (Path src : dirs) {
      String relDest = rename("/" + hostfs.relativize(src), renames);
      Path dest = onHost(relDest);
      boolean empty;
      try (DirectoryStream<Path> s = Files.newDirectoryStream(src)) {
        empty = !s.iterator().hasNext();
      }
      if (empty && !Files.exists(dest)) {
        note("0", relDest);
        Files.createDirectories(dest);
        created.put(relDest, checksum(dest));
      }
      copyTree(hostfs, src, renames, templates, values, created);
    }
    for (Path src : files) {
      String relDest = rename("/" + hostfs.relativize(src), renames);
      Path dest = onHost(relDest);
      if (Files.exists(dest) || Files.isSymbolicLink(dest)) {
        if (Files.isRegularFile(dest)) {
          out.notice(Notice.info("File " + relDest + " already exists"));
        }
        continue;
      }
      Files.createDirectories(dest.getParent());
      if (Files.isSymbolicLink(src)) {
        Files.createSymbolicLink(dest, Files.readSymbolicLink(src));
        note(checksum(dest), relDest);
      } else if (templates.contains(relDest)) {
        String text = Files.readString(src, StandardCharsets.UTF_8);
        byte[] bytes = TemplateSubstitutor.substitute(text, values, src.toString()).getBytes(StandardCharsets.UTF_8);
        note(checksum(bytes), relDest);
        Files.write(dest, bytes);
        Files.setAttribute(dest, "unix:mode", (Integer) Files.getAttribute(src, "unix:mode") & 07777);
      } else {
        note(checksum(src), relDest);
        Files.copy(src, dest, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(dest, "unix:mode", (Integer) Files.getAttribute(src, "unix:mode") & 07777);
      }
      created.put(relDest, checksum(dest));
    }
  }

  /** Removes the directories that are empty, deepest first as listed; a non-empty one is the administrator's. */
  private static void removeEmptyDirs(List<Path> dirs) {
    for (Path d : dirs) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
        if (!s.iterator().hasNext()) {
          Files.delete(d);
        }
      } catch (IOException ignored) {
        // left for the administrator
      }
    }
  }

  /** Renames a path: each growing prefix that is a key of {@code renames} is replaced by its value. */
  static String rename(String path, Map<String, String> renames) {
    if (renames.isEmpty()) {
      return path;
    }
    String current = "";
    for (String part : path.substring(1).split("/")) {
      current = current + "/" + part;
      String r = renames.get(current);
      if (r != null) {
        current = r;
      }
    }
    return Path.of(current).normalize().toString();
  }

  /**
   * Removes files recorded at install, unless they changed since ("Will not delete … as it was manually
   * modified."); removes the directories it created once they are empty.
   */
  /**
   * Removes, silently, the host files that an interrupted install or update recorded in its unfinished deployment:
   * those still exactly as it wrote them, except any that {@code keep} (the current deployment's files) records
   * with the same checksum. Without this, a rerun would find them, take them for the administrator's, and never
   * remove them.
   */
  void removeLeftovers(Map<String, String> recorded, Map<String, String> keep) {
    List<Path> dirs = new ArrayList<>();
    for (Map.Entry<String, String> e : recorded.entrySet()) {
      if (e.getValue().equals(keep.get(e.getKey()))) {
        continue;
      }
      Path p = onHost(e.getKey());
      try {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          dirs.add(0, p);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && checksum(p).equals(e.getValue())) {
          Files.delete(p);
        }
      } catch (IOException ex) {
        out.notice(Notice.warning("Could not remove " + e.getKey() + ": " + ex.getMessage()));
      }
    }
    removeEmptyDirs(dirs);
  }

  void remove(Map<String, String> recorded) {
    List<Path> dirs = new ArrayList<>();
    for (Map.Entry<String, String> e : recorded.entrySet()) {
      Path p = onHost(e.getKey());
      try {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          dirs.add(0, p);
          continue;
        }
        if (!checksum(p).equals(e.getValue())) {
          out.notice(Notice.info("Will not delete " + e.getKey() + " as it was manually modified."));
          continue;
        }
        Files.deleteIfExists(p);
      } catch (IOException ex) {
        out.notice(Notice.warning("Could not remove " + e.getKey() + ": " + ex.getMessage()));
      }
    }
    removeEmptyDirs(dirs);
  }

  private Path onHost(String recorded) {
    return root.resolve(recorded.substring(1));
  }

  /** sha256 hex of a file's content; {@code "0"} for a directory or a missing or dangling path, as atomic. */
  /** Appends {@code CHECKSUM PATH} to the journal, if there is one, before the file is created. */
  private void note(String checksum, String relDest) throws IOException {
    if (journal != null) {
      Files.writeString(journal, checksum + " " + relDest + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
  }

  /** Reads a journal written by {@link #install(Path, Map, List, Map, Path)}: path to checksum. */
  static Map<String, String> journaled(Path journal) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(journal)) {
      return out;
    }
    for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
      int space = line.indexOf(' ');
      if (space > 0 && line.startsWith("/", space + 1)) {
        out.put(line.substring(space + 1), line.substring(0, space));
      }
    }
    return out;
  }

  private static String checksum(byte[] content) {
    return HexFormat.of().formatHex(Digest.newSha256().digest(content));
  }

  static String checksum(Path p) throws IOException {
    if (Files.isDirectory(p) || !Files.exists(p)) {
      return "0";
    }
    MessageDigest md = Digest.newSha256();
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
