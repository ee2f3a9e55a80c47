package io.github.syscontainers.objectstore.tar;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, streaming reader of layer tars: POSIX ustar, PAX extended headers (local and global), and GNU long
 * names. It keeps the raw bytes where commons-compress decodes them: xattr values in PAX records are binary
 * ({@code security.capability}), and names must be valid UTF-8 because OSTree cannot store anything else. Header
 * checksums are verified; PAX records and long names are capped; sparse and multi-volume entries are refused.
 *
 * <p>Not thread-safe. Reads only from {@code in}, never closes it.
 *
 * @see <a href="https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html">pax format</a>
 */
public final class TarReader {
  private static final int BLOCK = 512;
  private static final int MAX_EXTENDED = 1 << 20;

  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private final byte[] skipBuffer = new byte[16 * 1024];
  private final Map<String, byte[]> global = new HashMap<>();
  private final TarSplitSink sink;
  private long remaining;
  private long padding;
  private boolean done;

  public TarReader(InputStream in) {
    this(in, TarSplitSink.NONE);
  }

  /** A reader that tells {@code sink} every byte it reads, for a byte-exact rebuild of the stream later. */
  public TarReader(InputStream in, TarSplitSink sink) {
    this.in = in;
    this.sink = sink;
  }

  /**
   * Reads what follows the end of the archive (the second end block, padding to a record, anything else) to the end
   * of the stream, for the sink; call once {@link #next} has returned null.
   */
  public void finish() throws IOException {
    int n;
    while ((n = in.read(skipBuffer)) > 0) {
      sink.raw(skipBuffer, 0, n);
    }
  }

  /** Returns the next entry, or null at the end of the archive. Unread data of the previous entry is skipped. */
  public TarEntry next() throws IOException {
    skipRest();
    if (done) {
      return null;
    }
    Map<String, byte[]> pax = new HashMap<>(global);
    byte[] longName = null;
    byte[] longLink = null;
    while (true) {
      if (!readBlock()) {
        done = true;
        return null;
      }
      if (isZero(header)) {
        done = true;
        return null;
      }
      verifyChecksum();
      char type = (char) header[156];
      long size = number(124, 12, "size");
      switch (type) {
        case 'x':
          pax.putAll(parsePax(readExtended(size, "PAX header")));
          continue;
        case 'g':
          Map<String, byte[]> g = parsePax(readExtended(size, "global PAX header"));
          global.putAll(g);
          pax.putAll(g);
          continue;
        case 'L':
          longName = trimNul(readExtended(size, "GNU long name"));
          continue;
        case 'K':
          longLink = trimNul(readExtended(size, "GNU long link name"));
          continue;
        default:
          return entry(type, size, pax, longName, longLink);
      }
    }
  }

  /** Returns a stream of the current entry's data; it ends at the entry's end. */
  public InputStream data() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new EOFException("the tar stream ended inside an entry's data");
        }
        sink.data(b, off, n);
        remaining -= n;
        return n;
      }
    };
  }

  private TarEntry entry(char type, long size, Map<String, byte[]> pax, byte[] longName, byte[] longLink)
      throws IOException {
    byte[] rawName = pax.containsKey("path") ? pax.get("path") : longName != null ? longName : ustarName();
    String name = utf8(rawName, "name");
    String link =
        utf8(pax.containsKey("linkpath") ? pax.get("linkpath") : longLink != null ? longLink : field(157, 100), "link");
    TarEntry.Type t = type(type, name);
    if (pax.containsKey("size")) {
      size = paxNumber(pax.get("size"), "size", name);
    }
    long uid = pax.containsKey("uid") ? paxNumber(pax.get("uid"), "uid", name) : number(108, 8, "uid");
    long gid = pax.containsKey("gid") ? paxNumber(pax.get("gid"), "gid", name) : number(116, 8, "gid");
    for (String k : pax.keySet()) {
      if (k.startsWith("GNU.sparse.")) {
        throw new TarFormatException("entry '" + name + "' is a sparse file, which layers must not contain");
      }
    }
    // POSIX: only regular files have data records; the size of anything else is meaningless
    boolean hasData = t == TarEntry.Type.FILE;
    remaining = hasData ? size : 0;
    padding = hasData ? pad(size) : 0;
    sink.entry(rawName, remaining);
    return new TarEntry(
        name,
        t,
        (int) (number(100, 8, "mode") & 07777),
        uid,
        gid,
        hasData ? size : 0,
        link,
        (int) number(329, 8, "devmajor"),
        (int) number(337, 8, "devminor"),
        xattrs(pax),
        mtime(pax));
  }

  /** PAX {@code mtime} (seconds, a fraction dropped) or the header's; an unreadable one is the epoch, as it matters to no layer. */
  private long mtime(Map<String, byte[]> pax) {
    try {
      if (pax.containsKey("mtime")) {
        String v = new String(pax.get("mtime"), StandardCharsets.US_ASCII).trim();
        int dot = v.indexOf('.');
        return Long.parseLong(dot < 0 ? v : v.substring(0, dot));
      }
      return number(136, 12, "mtime");
    } catch (NumberFormatException | TarFormatException e) {
      return 0;
    }
  }

  private static TarEntry.Type type(char flag, String name) throws TarFormatException {
    switch (flag) {
      case '0':
      case '\0':
      case '7':
        return name.endsWith("/") ? TarEntry.Type.DIRECTORY : TarEntry.Type.FILE;
      case '1':
        return TarEntry.Type.HARD_LINK;
      case '2':
        return TarEntry.Type.SYMLINK;
      case '3':
        return TarEntry.Type.CHAR_DEVICE;
      case '4':
        return TarEntry.Type.BLOCK_DEVICE;
      case '5':
        return TarEntry.Type.DIRECTORY;
      case '6':
        return TarEntry.Type.FIFO;
      default:
        throw new TarFormatException(
            "entry '" + name + "' has tar type '" + (flag < 0x20 ? "\\" + (int) flag : String.valueOf(flag))
                + "', which layers must not contain");
    }
  }

  private byte[] ustarName() {
    byte[] name = field(0, 100);
    boolean posix = header[257] == 'u' && header[262] == 0; // "ustar\0"; GNU writes "ustar  \0" and no prefix
    byte[] prefix = posix ? field(345, 155) : new byte[0];
    if (prefix.length == 0) {
      return name;
    }
    byte[] out = new byte[prefix.length + 1 + name.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    out[prefix.length] = '/';
    System.arraycopy(name, 0, out, prefix.length + 1, name.length);
    return out;
  }

  private static List<TarEntry.RawXattr> xattrs(Map<String, byte[]> pax) throws TarFormatException {
    List<TarEntry.RawXattr> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : pax.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("SCHILY.xattr.")) {
        out.add(new TarEntry.RawXattr(k.substring("SCHILY.xattr.".length()), e.getValue()));
      } else if (k.startsWith("LIBARCHIVE.xattr.")) {
        try {
          out.add(
              new TarEntry.RawXattr(
                  k.substring("LIBARCHIVE.xattr.".length()),
                  Base64.getDecoder().decode(new String(e.getValue(), StandardCharsets.US_ASCII))));
        } catch (IllegalArgumentException ex) {
          throw new TarFormatException("xattr record " + k + " is not valid base64");
        }
      }
    }
    return out;
  }

  /** Parses PAX records {@code "LEN key=value\n"}, values kept as raw bytes. */
  static Map<String, byte[]> parsePax(byte[] data) throws TarFormatException {
    Map<String, byte[]> out = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      int sp = pos;
      while (sp < data.length && data[sp] != ' ') {
        sp++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, pos, sp - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new TarFormatException("a PAX record has an invalid length");
      }
      int end = pos + len;
      if (len <= 0 || end > data.length || sp >= end || data[end - 1] != '\n') {
        throw new TarFormatException("a PAX record overruns its header");
      }
      int eq = sp + 1;
      while (eq < end && data[eq] != '=') {
        eq++;
      }
      if (eq >= end) {
        throw new TarFormatException("a PAX record has no '='");
      }
      String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
      byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end - 1);
      if (value.length == 0) {
        out.remove(key); // an empty value deletes the keyword
      } else {
        out.put(key, value);
      }
      pos = end;
    }
    return out;
  }

  private byte[] readExtended(long size, String what) throws IOException {
    if (size < 0 || size > MAX_EXTENDED) {
      throw new TarFormatException("a " + what + " of " + size + " bytes is over the " + MAX_EXTENDED + "-byte limit");
    }
    byte[] data = readFully((int) size);
    sink.raw(data, 0, data.length);
    skipRaw(pad(size));
    return data;
  }

  private void skipRest() throws IOException {
    while (remaining > 0) { // data the caller did not read: still the entry's
      int r = in.read(skipBuffer, 0, (int) Math.min(skipBuffer.length, remaining));
      if (r < 0) {
        throw new EOFException("the tar stream ended inside an entry's data");
      }
      sink.data(skipBuffer, 0, r);
      remaining -= r;
    }
    skipRaw(padding);
    padding = 0;
  }

  /** Skips {@code n} bytes that are no entry's data, telling the sink. */
  private void skipRaw(long n) throws IOException {
    while (n > 0) {
      int r = in.read(skipBuffer, 0, (int) Math.min(skipBuffer.length, n));
      if (r < 0) {
        throw new EOFException("the tar stream ended inside an entry's padding");
      }
      sink.raw(skipBuffer, 0, r);
      n -= r;
    }
  }

  private boolean readBlock() throws IOException {
    int n = in.readNBytes(header, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("the tar stream ends inside a header");
    }
    sink.raw(header, 0, BLOCK);
    return true;
  }

  private byte[] readFully(int size) throws IOException {
    byte[] b = in.readNBytes(size);
    if (b.length < size) {
      throw new EOFException("the tar stream ended inside an extended header");
    }
    return b;
  }

  private static long pad(long size) {
    return (BLOCK - (size % BLOCK)) % BLOCK;
  }

  private void verifyChecksum() throws TarFormatException {
    long stored = number(148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : header[i];
      unsigned += b & 0xFF;
      signed += b;
    }
    if (stored != unsigned && stored != signed) {
      throw new TarFormatException("a tar header has a bad checksum; the layer is corrupt or not a tar");
    }
  }

  /** Reads an octal (or base-256) numeric field. */
  private long number(int off, int len, String what) throws TarFormatException {
    if ((header[off] & 0x80) != 0) {
      if ((header[off] & 0x40) != 0) {
        throw new TarFormatException("a tar header has a negative " + what);
      }
      long v = header[off] & 0x3F;
      for (int i = 1; i < len; i++) {
        if (v > (Long.MAX_VALUE >>> 8)) {
          throw new TarFormatException("a tar header's " + what + " is too large");
        }
        v = (v << 8) | (header[off + i] & 0xFF);
      }
      return v;
    }
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    for (; i < end; i++) {
      byte b = header[i];
      if (b == 0 || b == ' ') {
        break;
      }
      if (b < '0' || b > '7') {
        throw new TarFormatException("a tar header's " + what + " field is not a number");
      }
      v = (v << 3) | (b - '0');
    }
    return v;
  }

  private static long paxNumber(byte[] v, String what, String name) throws TarFormatException {
    try {
      long n = Long.parseLong(new String(v, StandardCharsets.US_ASCII).trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new TarFormatException("entry '" + name + "' has an invalid PAX " + what);
    }
  }

  private byte[] field(int off, int len) {
    int end = off;
    while (end < off + len && header[end] != 0) {
      end++;
    }
    return java.util.Arrays.copyOfRange(header, off, end);
  }

  private static byte[] trimNul(byte[] b) {
    int end = b.length;
    while (end > 0 && b[end - 1] == 0) {
      end--;
    }
    return java.util.Arrays.copyOf(b, end);
  }

  private static String utf8(byte[] raw, String what) throws TarFormatException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw new TarFormatException(
          "an entry's " + what + " is not valid UTF-8 ('" + new String(raw, StandardCharsets.ISO_8859_1)
              + "'); OSTree cannot store such names");
    }
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
