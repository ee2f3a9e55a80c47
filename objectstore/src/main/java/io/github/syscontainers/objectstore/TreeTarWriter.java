package io.github.syscontainers.objectstore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Writes a layer commit's tree as a tar when no tar-split record says how the layer's own tar was laid out: the same
 * files, directories, symlinks, owners, modes and xattrs (binary values kept, in PAX {@code SCHILY.xattr.} records),
 * whiteouts as the {@code .wh.} files they are stored as, in name order, every mtime 0, no owner names, and no hard
 * links (each path its own file). The bytes are the same every time for the same tree, so a layer written this way
 * has one DiffID, though not the one the layer had when it was pulled.
 *
 * <p>Headers are written here rather than by Commons Compress, which writes PAX values as UTF-8 text and cannot keep
 * a binary xattr ({@code security.capability}) exact. Not thread-safe.
 */
final class TreeTarWriter {
  private static final int BLOCK = 512;

  private final OstreeRepository repo;
  private final OutputStream out;
  private final byte[] buf = new byte[1 << 16];

  private TreeTarWriter(OstreeRepository repo, OutputStream out) {
    this.repo = repo;
    this.out = out;
  }

  /** Writes the tar of the tree of {@code commit} to {@code out}. */
  static void write(OstreeRepository repo, Commit commit, OutputStream out) throws IOException {
    TreeTarWriter w = new TreeTarWriter(repo, out);
    w.directory(commit.rootTree(), "");
    out.write(new byte[2 * BLOCK]);
    out.flush();
  }

  private void directory(ObjectId tree, String prefix) throws IOException {
    DirTree t = repo.readDirTree(tree);
    // files and directories in one name order, as a sorted walk of the layer would give them
    TreeMap<String, Object> children = new TreeMap<>(DirTree.NAME_ORDER);
    for (DirTree.FileEntry f : t.files()) {
      children.put(f.name(), f);
    }
    for (DirTree.DirEntry d : t.dirs()) {
      children.put(d.name(), d);
    }
    for (Object child : children.values()) {
      if (child instanceof DirTree.DirEntry) {
        DirTree.DirEntry d = (DirTree.DirEntry) child;
        FileMeta meta = repo.readDirMeta(d.meta());
        String name = prefix + d.name() + "/";
        header(name, '5', meta, 0, "");
        directory(d.tree(), name);
      } else {
        DirTree.FileEntry f = (DirTree.FileEntry) child;
        ContentObject c = repo.loadContent(f.checksum());
        String name = prefix + f.name();
        if (c.isSymlink()) {
          header(name, '2', c.meta(), 0, c.symlinkTarget());
        } else {
          header(name, '0', c.meta(), c.size(), "");
          long n = 0;
          try (InputStream in = repo.openPayload(c)) {
            int r;
            while ((r = in.read(buf)) >= 0) {
              out.write(buf, 0, r);
              n += r;
            }
          }
          if (n != c.size()) {
            throw new ObjectStoreException("The stored file " + name + " has " + n + " bytes, not the " + c.size()
                + " its object records; run fsck");
          }
          pad(n);
        }
      }
    }
  }

  private void header(String name, char type, FileMeta meta, long size, String link) throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
    List<byte[]> pax = new ArrayList<>();
    if (nameBytes.length > 100) {
      pax.add(record("path", nameBytes));
    }
    if (linkBytes.length > 100) {
      pax.add(record("linkpath", linkBytes));
    }
    if (meta.uid() > 07777777 || meta.uid() < 0) {
      pax.add(record("uid", Integer.toUnsignedString(meta.uid()).getBytes(StandardCharsets.US_ASCII)));
    }
    if (meta.gid() > 07777777 || meta.gid() < 0) {
      pax.add(record("gid", Integer.toUnsignedString(meta.gid()).getBytes(StandardCharsets.US_ASCII)));
    }
    if (size > 077777777777L) {
      pax.add(record("size", Long.toString(size).getBytes(StandardCharsets.US_ASCII)));
    }
    for (Xattr x : meta.xattrs()) {
      pax.add(record("SCHILY.xattr." + x.name(), x.value()));
    }
    if (!pax.isEmpty()) {
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      for (byte[] r : pax) {
        data.write(r);
      }
      byte[] records = data.toByteArray();
      out.write(ustar(truncate("PaxHeaders.0/" + baseName(name)), 'x', 0644, 0, 0, records.length, new byte[0]));
      out.write(records);
      pad(records.length);
    }
    out.write(ustar(truncate(nameBytes), type, meta.permissions() & 07777, meta.uid(), meta.gid(),
        size > 077777777777L ? 0 : size, truncate(linkBytes)));
  }

  private static String baseName(String name) {
    String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    return n.substring(n.lastIndexOf('/') + 1);
  }

  private static byte[] truncate(String s) {
    return truncate(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] truncate(byte[] b) {
    return b.length <= 100 ? b : java.util.Arrays.copyOf(b, 100);
  }

  /** One PAX record, {@code LEN key=value\n}, LEN counting itself. */
  private static byte[] record(String key, byte[] value) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    int rest = k.length + value.length + 3;
    int len = rest + 1;
    while (len != rest + Integer.toString(len).length()) {
      len = rest + Integer.toString(len).length();
    }
    ByteArrayOutputStream r = new ByteArrayOutputStream(len);
    r.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
    r.writeBytes(k);
    r.write('=');
    r.writeBytes(value);
    r.write('\n');
    return r.toByteArray();
  }

  private static byte[] ustar(byte[] name, char type, int mode, int uid, int gid, long size, byte[] link) {
    byte[] h = new byte[BLOCK];
    System.arraycopy(name, 0, h, 0, name.length);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid > 07777777 || uid < 0 ? 0 : uid);
    octal(h, 116, 8, gid > 07777777 || gid < 0 ? 0 : gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0);
    h[156] = (byte) type;
    System.arraycopy(link, 0, h, 157, link.length);
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xFF;
    }
    byte[] chk = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(chk, 0, h, 148, 6);
    h[154] = 0;
    h[155] = ' ';
    return h;
  }

  /** {@code width - 1} octal digits and a NUL. */
  private static void octal(byte[] h, int at, int width, long v) {
    String s = Long.toOctalString(v);
    s = "0".repeat(width - 1 - s.length()) + s;
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, width - 1);
    h[at + width - 1] = 0;
  }

  private void pad(long n) throws IOException {
    int rest = (int) (n % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }
}
