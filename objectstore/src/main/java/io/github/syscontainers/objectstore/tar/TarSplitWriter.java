package io.github.syscontainers.objectstore.tar;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Records a tar stream as tar-split's JSON lines, gzip-compressed, as a {@link TarReader} reads it: a segment entry
 * ({@code "type":2}) for each run of bytes that are no file's data, base64 in {@code payload}; a file entry
 * ({@code "type":1}) for each tar entry with its name ({@code name}, or base64 {@code name_raw} when it is not UTF-8),
 * the size of its data and the CRC-64 of that data; each with its {@code position}. The same stream containers/storage
 * writes and skopeo's ostree transport kept in {@code tarsplit.output}, so that the tar can be rebuilt byte for byte
 * from the files ({@link TarSplitAssembler}).
 *
 * <p>Not thread-safe. The compressed record goes to the stream given, or into memory, where {@link #finish} gives it;
 * what a layer's headers make is small (a few percent of the layer's tar) but grows with its entries.
 */
public final class TarSplitWriter implements TarSplitSink {
  private static final JsonFactory JSON = new JsonFactory();
  private final ByteArrayOutputStream compressed;
  private final GZIPOutputStream gzip;
  private final JsonGenerator json;
  private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private int position;
  private byte[] fileName; // the entry whose data is being read, until its file entry is written
  private long fileSize;
  private Crc64 crc;

  /** A writer that keeps the record in memory, for {@link #finish} to return. */
  public TarSplitWriter() {
    this(new ByteArrayOutputStream());
  }

  /**
   * A writer whose compressed record goes to {@code target} as it grows; {@link #finish} ends it there, and leaves
   * {@code target} open.
   */
  public TarSplitWriter(OutputStream target) {
    this(target, true);
  }

  /**
   * A writer of the record's JSON lines to {@code target} as they are, for a caller that compresses them its own way
   * (zstd:chunked keeps the record zstd-compressed); {@link #finish} ends the record and leaves {@code target} open.
   */
  public static TarSplitWriter uncompressed(OutputStream target) {
    return new TarSplitWriter(target, false);
  }

  private TarSplitWriter(OutputStream target, boolean compress) {
    compressed = compress && target instanceof ByteArrayOutputStream ? (ByteArrayOutputStream) target : null;
    if (!compress) {
      gzip = null;
      try {
        json = JSON.createGenerator(target).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      } catch (IOException e) {
        throw new IllegalStateException("a JSON generator writes nothing when made", e);
      }
      json.setRootValueSeparator(null);
      return;
    }
    try {
      // the fastest level: headers compress well at any, and this runs on an import's parsing thread
      gzip = new GZIPOutputStream(target, 64 * 1024) {
        {
          def.setLevel(Deflater.BEST_SPEED);
        }
      };
      json = JSON.createGenerator((OutputStream) gzip).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.setRootValueSeparator(null); // one entry a line, each line ended by '\n' as Go's encoder ends it
    } catch (IOException e) {
      throw new IllegalStateException("a gzip header written to a buffer cannot fail", e);
    }
  }

  @Override
  public void raw(byte[] b, int off, int len) throws IOException {
    endFile();
    pending.write(b, off, len);
  }

  @Override
  public void entry(byte[] name, long size) throws IOException {
    endFile();
    flushSegment();
    fileName = name;
    fileSize = size;
    crc = new Crc64();
  }

  @Override
  public void data(byte[] b, int off, int len) {
    crc.update(b, off, len);
  }

  /**
   * Ends the record and returns it, gzip-compressed tar-split JSON, when it was kept in memory; an empty array when it
   * went to a stream of the caller's.
   */
  public byte[] finish() throws IOException {
    endFile();
    flushSegment();
    json.flush();
    if (gzip != null) {
      gzip.finish();
    }
    return compressed != null ? compressed.toByteArray() : new byte[0];
  }

  private void endFile() throws IOException {
    if (fileName == null) {
      return;
    }
    write(1, fileName, fileSize, fileSize > 0 ? crc.digest() : null);
    fileName = null;
  }

  private void flushSegment() throws IOException {
    if (pending.size() == 0) {
      return;
    }
    write(2, null, 0, pending.toByteArray());
    pending.reset();
  }

  private void write(int type, byte[] name, long size, byte[] payload) throws IOException {
    JsonGenerator g = json;
    g.writeStartObject();
    g.writeNumberField("type", type);
    if (name != null && name.length > 0) {
      String text = utf8(name);
      if (text != null) {
        g.writeStringField("name", text);
      } else {
        g.writeBinaryField("name_raw", name);
      }
    }
    if (size != 0) {
      g.writeNumberField("size", size);
    }
    if (payload == null) {
      g.writeNullField("payload");
    } else {
      g.writeBinaryField("payload", payload);
    }
    g.writeNumberField("position", position++);
    g.writeEndObject();
    g.writeRaw('\n');
  }

  private String utf8(byte[] b) {
    boolean ascii = true;
    for (byte x : b) {
      ascii &= x >= 0;
    }
    if (ascii) {
      return new String(b, StandardCharsets.ISO_8859_1); // the common case, without a decoder
    }
    try {
      return strict.reset().decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
