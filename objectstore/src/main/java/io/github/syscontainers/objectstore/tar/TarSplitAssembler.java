package io.github.syscontainers.objectstore.tar;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Rebuilds a tar stream byte for byte from its tar-split record ({@link TarSplitWriter}, or the one containers/storage
 * and skopeo wrote) and the files it held: segments are written as recorded, each file's data is read from
 * {@link Files} by the name the archive gave it and checked against its recorded size and CRC-64 as it flows.
 *
 * <p>Thread-safe: it keeps no state between calls.
 */
public final class TarSplitAssembler {
  /** The most a segment may hold: a header block with a PAX record at its 1 MiB cap, and padding. */
  static final int MAX_SEGMENT = (1 << 20) + 64 * 1024;
  private static final JsonFactory JSON = new JsonFactory();

  /** The files of the layer, by the name the archive gave each. */
  @FunctionalInterface
  public interface Files {
    /** The data of the file the archive named {@code name} (UTF-8, or raw bytes when it was not). */
    InputStream open(byte[] name) throws IOException;
  }

  private TarSplitAssembler() {}

  /**
   * Writes the tar that {@code record} (gzip-compressed tar-split JSON) describes to {@code out}.
   *
   * @throws TarFormatException when the record is malformed, or a file's data differs from what the tar held
   */
  public static void assemble(InputStream record, Files files, OutputStream out) throws IOException {
    assembleJson(new GZIPInputStream(record, 64 * 1024), files, out);
  }

  /**
   * Writes the tar that {@code json} (tar-split JSON lines, decompressed: zstd:chunked keeps them zstd-compressed)
   * describes to {@code out}, as {@link #assemble} does.
   */
  public static void assembleJson(InputStream json, Files files, OutputStream out) throws IOException {
    byte[] buf = new byte[64 * 1024];
    try (JsonParser p = JSON.createParser(json)) {
      int expected = 0;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t != JsonToken.START_OBJECT) {
          throw new TarFormatException("a tar-split record holds " + t + " where an entry belongs");
        }
        Entry e = entry(p);
        if (e.position != expected++) {
          throw new TarFormatException("a tar-split entry has the position " + e.position + ", not " + (expected - 1));
        }
        if (e.type == 2) {
          out.write(e.payload == null ? new byte[0] : e.payload);
        } else if (e.type == 1) {
          if (e.size > 0) {
            copy(files, e, out, buf);
          }
        } else {
          throw new TarFormatException("a tar-split entry has the type " + e.type + ", neither 1 (file) nor 2 (segment)");
        }
      }
    }
  }

  private static void copy(Files files, Entry e, OutputStream out, byte[] buf) throws IOException {
    Crc64 crc = new Crc64();
    long left = e.size;
    try (InputStream in = files.open(e.name)) {
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new TarFormatException("the file " + show(e.name) + " has fewer bytes than the " + e.size
              + " the layer held");
        }
        crc.update(buf, 0, n);
        out.write(buf, 0, n);
        left -= n;
      }
      if (in.read() >= 0) {
        throw new TarFormatException("the file " + show(e.name) + " has more bytes than the " + e.size
            + " the layer held");
      }
    }
    if (e.payload != null && !Arrays.equals(crc.digest(), e.payload)) {
      throw new TarFormatException("the file " + show(e.name) + " differs from what the layer held (CRC-64)");
    }
  }

  private static Entry entry(JsonParser p) throws IOException {
    Entry e = new Entry();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      if (t != JsonToken.FIELD_NAME) {
        throw new TarFormatException("a tar-split entry is malformed near " + p.currentLocation());
      }
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "type":
          e.type = p.getIntValue();
          break;
        case "name":
          e.name = v == JsonToken.VALUE_NULL ? e.name : p.getText().getBytes(StandardCharsets.UTF_8);
          break;
        case "name_raw":
          e.name = v == JsonToken.VALUE_NULL ? e.name : p.getBinaryValue();
          break;
        case "size":
          e.size = p.getLongValue();
          break;
        case "payload":
          e.payload = v == JsonToken.VALUE_NULL ? null : p.getBinaryValue();
          if (e.payload != null && e.payload.length > MAX_SEGMENT) {
            throw new TarFormatException("a tar-split segment of " + e.payload.length + " bytes is over the limit");
          }
          break;
        case "position":
          e.position = p.getIntValue();
          break;
        default:
          p.skipChildren(); // a field of a newer tar-split
      }
    }
    if (e.size < 0) {
      throw new TarFormatException("a tar-split file entry has the size " + e.size);
    }
    return e;
  }

  private static String show(byte[] name) {
    return "'" + new String(name, StandardCharsets.UTF_8) + "'";
  }

  /** One line of the record. */
  private static final class Entry {
    int type;
    byte[] name = new byte[0];
    long size;
    byte[] payload;
    int position;
  }
}
