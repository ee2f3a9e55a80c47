package io.github.syscontainers.objectstore.chunked;

import com.github.luben.zstd.ZstdOutputStream;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.objectstore.tar.TarEntry;
import io.github.syscontainers.objectstore.tar.TarReader;
import io.github.syscontainers.objectstore.tar.TarSplitSink;
import io.github.syscontainers.objectstore.tar.TarSplitWriter;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.output.CountingOutputStream;

/**
 * Writes a layer's uncompressed tar as zstd:chunked, the format containers/storage reads for partial pulls: a zstd
 * stream in which every regular file's data is a frame (or frames) of its own, so that a reader can fetch one file
 * with a Range request, followed by three zstd skippable frames that decompressors pass over: the table of contents
 * (JSON, zstd-compressed: each entry's metadata and where its data lies), the tar-split record (JSON lines,
 * zstd-compressed: what rebuilds the tar byte for byte, and so its DiffID, from the files) and a 64-byte footer
 * locating both. {@link Written#annotations} are the layer descriptor's annotations that name them, with the
 * SHA-256 of the compressed table of contents, which a reader checks before trusting it.
 *
 * <p>Decompressed as a whole, the blob is the tar as it came. A file's data is one frame: no rolling-checksum chunks
 * within it (the store deduplicates whole files, by their content); readers take a file without {@code chunk}
 * entries as one chunk.
 *
 * <p>Not thread-safe; one per layer. The table of contents and the record are held in memory until the end (a few
 * hundred bytes an entry).
 */
public final class ZstdChunkedWriter {
  /** The annotation with the SHA-256 of the compressed table of contents, {@code sha256:HEX}. */
  public static final String MANIFEST_CHECKSUM = "io.github.containers.zstd-chunked.manifest-checksum";
  /** {@code OFFSET:LENGTH:UNCOMPRESSED_LENGTH:1} of the table of contents. */
  public static final String MANIFEST_POSITION = "io.github.containers.zstd-chunked.manifest-position";
  /** {@code OFFSET:LENGTH:UNCOMPRESSED_LENGTH} of the tar-split record. */
  public static final String TARSPLIT_POSITION = "io.github.containers.zstd-chunked.tarsplit-position";
  static final byte[] SKIPPABLE_MAGIC = {0x50, 0x2a, 0x4d, 0x18};
  static final byte[] FOOTER_MAGIC = "GNUlInUx".getBytes(StandardCharsets.US_ASCII);
  static final int FOOTER_SIZE = 64;
  private static final int LEVEL = 3;

  /** The blob written: its annotations, digest and size. */
  public record Written(Map<String, String> annotations, Digest digest, long size) {
    public Written {
      annotations = Map.copyOf(annotations);
    }
  }

  private final Counting dest;
  private final ZstdOutputStream zstd;
  private final MessageDigest blobSha = Digest.newSha256();
  private final ByteArrayOutputStream splitCompressed = new ByteArrayOutputStream();
  private final ZstdOutputStream splitZstd;
  private final CountingOutputStream splitJson;
  private final TarSplitWriter split;
  private final List<TocWriter.Entry> entries = new ArrayList<>();
  private boolean frameHasData;
  private long payloadStart;
  private MessageDigest payloadSha;
  private byte[] pendingName;

  private ZstdChunkedWriter(OutputStream out) throws IOException {
    this.dest = new Counting(out, blobSha);
    this.zstd = new ZstdOutputStream(dest, LEVEL);
    zstd.setCloseFrameOnFlush(true); // flush() ends the frame; the next write starts another
    this.splitZstd = new ZstdOutputStream(splitCompressed, LEVEL);
    this.splitJson = new CountingOutputStream(splitZstd);
    this.split = TarSplitWriter.uncompressed(splitJson);
  }

  /**
   * Reads the uncompressed tar from {@code tar} to its end and writes the zstd:chunked blob to {@code out} (left
   * open).
   *
   * @throws IOException when the tar is not one a layer may be, or a stream fails
   */
  public static Written write(InputStream tar, OutputStream out) throws IOException {
    return new ZstdChunkedWriter(out).run(tar);
  }

  private Written run(InputStream in) throws IOException {
    Sink sink = new Sink();
    TarReader tar = new TarReader(in, sink);
    byte[] buf = new byte[1 << 16];
    for (TarEntry e = tar.next(); e != null; e = tar.next()) {
      TocWriter.Entry entry = new TocWriter.Entry(e, new String(pendingName, StandardCharsets.UTF_8));
      entries.add(entry);
      if (e.size() > 0) {
        try (InputStream data = tar.data()) {
          while (data.read(buf) >= 0) {
            // the sink writes it to its frame and hashes it
          }
        }
        endPayload(entry);
      }
    }
    tar.finish();
    split.finish();
    splitZstd.close();
    if (frameHasData) {
      zstd.flush();
    }
    zstd.close(); // ends no frame of its own: flush() ended the last one with data
    return trailer();
  }

  /** The payload of {@code entry} ended: its frame closed, and where it lies recorded. */
  private void endPayload(TocWriter.Entry entry) throws IOException {
    zstd.flush();
    frameHasData = false;
    entry.located(payloadStart, dest.count, Digest.sha256(payloadSha.digest()));
  }

  /** The skippable frames after the data: table of contents, tar-split record, footer; and the annotations. */
  private Written trailer() throws IOException {
    byte[] toc = TocWriter.json(entries, Digest.sha256Of(splitCompressed.toByteArray()));
    ByteArrayOutputStream tocCompressed = new ByteArrayOutputStream();
    try (ZstdOutputStream z = new ZstdOutputStream(tocCompressed, LEVEL)) {
      z.write(toc);
    }
    byte[] tocBytes = tocCompressed.toByteArray();
    long tocOffset = dest.count + 8;
    skippable(tocBytes);
    byte[] splitBytes = splitCompressed.toByteArray();
    long splitOffset = dest.count + 8;
    skippable(splitBytes);
    long splitUncompressed = splitJson.getByteCount();
    java.nio.ByteBuffer footer = java.nio.ByteBuffer.allocate(FOOTER_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    footer.putLong(tocOffset).putLong(tocBytes.length).putLong(toc.length).putLong(1)
        .putLong(splitOffset).putLong(splitBytes.length).putLong(splitUncompressed).put(FOOTER_MAGIC);
    skippable(footer.array());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(MANIFEST_CHECKSUM, Digest.sha256Of(tocBytes).toString());
    annotations.put(MANIFEST_POSITION, tocOffset + ":" + tocBytes.length + ":" + toc.length + ":1");
    annotations.put(TARSPLIT_POSITION, splitOffset + ":" + splitBytes.length + ":" + splitUncompressed);
    return new Written(annotations, Digest.sha256(blobSha.digest()), dest.count);
  }

  private void skippable(byte[] data) throws IOException {
    java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    head.put(SKIPPABLE_MAGIC).putInt(data.length);
    dest.write(head.array());
    dest.write(data);
  }

  /** What the tar reader reads, to the frames and the tar-split record. */
  private final class Sink implements TarSplitSink {
    @Override
    public void raw(byte[] b, int off, int len) throws IOException {
      split.raw(b, off, len);
      zstd.write(b, off, len);
      frameHasData |= len > 0;
    }

    @Override
    public void entry(byte[] name, long size) throws IOException {
      split.entry(name, size);
      pendingName = name;
      if (size > 0) {
        if (frameHasData) {
          zstd.flush(); // the headers before it end their frame
          frameHasData = false;
        }
        payloadStart = dest.count;
        payloadSha = Digest.newSha256();
      }
    }

    @Override
    public void data(byte[] b, int off, int len) throws IOException {
      split.data(b, off, len);
      zstd.write(b, off, len);
      payloadSha.update(b, off, len);
      frameHasData |= len > 0;
    }
  }

  /** The compressed bytes written, counted and hashed; flushing and closing leave the target alone. */
  private static final class Counting extends FilterOutputStream {
    private final MessageDigest sha;
    long count;

    Counting(OutputStream out, MessageDigest sha) {
      super(out);
      this.sha = sha;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      sha.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      sha.update(b, off, len);
      count += len;
    }

    /**
     * Not passed on: zstd flushes at the end of every frame, and a file is a frame; the target is the caller's to
     * flush (a copy's pipe would queue a part-filled chunk for each frame).
     */
    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
