package io.github.syscontainers.objectstore.chunked;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.objectstore.tar.TarEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The JSON of a zstd:chunked table of contents, as containers/storage reads it: {@code version} 1, one entry per tar
 * entry in the tar's order (its type, name as the archive spells it, link target, mode bits, size, owner, modification
 * time, device numbers, xattrs with base64 values, and for a regular file with data the SHA-256 of its content and
 * the offsets of its frames in the blob), and the digest of the compressed tar-split record. Empty fields are left
 * out, as Go's {@code omitempty} leaves them.
 */
final class TocWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private TocWriter() {}

  /** One entry, its data's place filled in once the data is written. */
  static final class Entry {
    final TarEntry tar;
    final String name;
    long offset;
    long endOffset;
    Digest digest;

    Entry(TarEntry tar, String name) {
      this.tar = tar;
      this.name = name;
    }

    void located(long offset, long endOffset, Digest digest) {
      this.offset = offset;
      this.endOffset = endOffset;
      this.digest = digest;
    }
  }

  static byte[] json(List<Entry> entries, Digest tarSplitDigest) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("version", 1);
      g.writeArrayFieldStart("entries");
      for (Entry e : entries) {
        write(g, e);
      }
      g.writeEndArray();
      g.writeStringField("tarSplitDigest", tarSplitDigest.toString());
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, Entry e) throws IOException {
    TarEntry t = e.tar;
    g.writeStartObject();
    g.writeStringField("type", type(t.type()));
    g.writeStringField("name", e.name);
    if (!t.linkName().isEmpty()) {
      g.writeStringField("linkName", t.linkName());
    }
    nonZero(g, "mode", t.mode());
    nonZero(g, "size", t.size());
    nonZero(g, "uid", t.uid());
    nonZero(g, "gid", t.gid());
    g.writeStringField("modtime", Instant.ofEpochSecond(t.mtime()).toString());
    nonZero(g, "devMajor", t.devMajor());
    nonZero(g, "devMinor", t.devMinor());
    if (!t.xattrs().isEmpty()) {
      g.writeObjectFieldStart("xattrs");
      for (TarEntry.RawXattr x : t.xattrs()) {
        g.writeStringField(x.name(), Base64.getEncoder().encodeToString(x.value()));
      }
      g.writeEndObject();
    }
    if (e.digest != null) {
      g.writeStringField("digest", e.digest.toString());
      g.writeNumberField("offset", e.offset);
      g.writeNumberField("endOffset", e.endOffset);
    }
    g.writeEndObject();
  }

  private static void nonZero(JsonGenerator g, String field, long value) throws IOException {
    if (value != 0) {
      g.writeNumberField(field, value);
    }
  }

  /** The TOC's name for a tar entry type. */
  static String type(TarEntry.Type type) {
    switch (type) {
      case FILE:
        return "reg";
      case HARD_LINK:
        return "hardlink";
      case SYMLINK:
        return "symlink";
      case CHAR_DEVICE:
        return "char";
      case BLOCK_DEVICE:
        return "block";
      case DIRECTORY:
        return "dir";
      case FIFO:
        return "fifo";
      default:
        throw new IllegalArgumentException("no TOC type for " + type);
    }
  }
}
