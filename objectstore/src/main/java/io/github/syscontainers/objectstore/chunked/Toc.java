package io.github.syscontainers.objectstore.chunked;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.syscontainers.model.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A zstd:chunked table of contents as read: its version, the digest of its tar-split record, and for each entry what
 * a partial pull needs: type, name as the archive spells it, size, and for a regular file with data its content's
 * SHA-256 and where its frames lie in the blob. Chunk entries, which split a file into parts, are read past: a file's
 * frames run from its entry's offset to its end offset whatever its chunks, so it is fetched whole from there. Other
 * fields (owner, mode, xattrs) are left: the layer's files are stored from its tar-split record's headers, as a
 * full pull stores them.
 */
public record Toc(int version, Optional<Digest> tarSplitDigest, List<Entry> entries) {
  private static final JsonFactory JSON = new JsonFactory();

  public Toc {
    entries = List.copyOf(entries);
  }

  /** One entry: a regular file with data has a digest and its frames' offsets. */
  public record Entry(String type, String name, long size, Optional<Digest> digest, long offset, long endOffset) {
    /** Whether its data lies in frames of its own that a range can fetch. */
    public boolean hasData() {
      return type.equals("reg") && size > 0 && digest.isPresent() && endOffset > offset;
    }
  }

  /**
   * Parses the table's JSON.
   *
   * @throws IOException when it is not a table of contents: not JSON, or an entry without a type or name, a digest
   *     that is not one, offsets that run backwards
   */
  public static Toc parse(byte[] json) throws IOException {
    int version = -1;
    Optional<Digest> split = Optional.empty();
    List<Entry> entries = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.getCurrentName();
        JsonToken value = p.nextToken();
        if (field.equals("version")) {
          version = p.getIntValue();
        } else if (field.equals("tarSplitDigest") && value == JsonToken.VALUE_STRING) {
          split = Optional.of(digest(p.getText()));
        } else if (field.equals("entries") && value == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            Entry e = entry(p);
            if (!e.type().equals("chunk")) {
              entries.add(e);
            }
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IOException("the table of contents does not parse: " + e.getMessage(), e);
    }
    return new Toc(version, split, entries);
  }

  private static Entry entry(JsonParser p) throws IOException {
    String type = null;
    String name = null;
    long size = 0;
    Optional<Digest> digest = Optional.empty();
    long offset = 0;
    long end = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.getCurrentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "type":
          type = p.getText();
          break;
        case "name":
          name = p.getText();
          break;
        case "size":
          size = p.getLongValue();
          break;
        case "digest":
          if (value == JsonToken.VALUE_STRING && !p.getText().isEmpty()) {
            digest = Optional.of(digest(p.getText()));
          }
          break;
        case "offset":
          offset = p.getLongValue();
          break;
        case "endOffset":
          end = p.getLongValue();
          break;
        default:
          p.skipChildren();
      }
    }
    if (type == null || name == null) {
      throw new IOException("the table of contents has an entry without " + (type == null ? "a type" : "a name"));
    }
    if (size < 0 || offset < 0 || end < 0 || (end != 0 && end < offset)) {
      throw new IOException("the table of contents gives '" + name + "' the size " + size + " and frames "
          + offset + "-" + end);
    }
    return new Entry(type, name, size, digest, offset, end);
  }

  private static Digest digest(String text) {
    Digest d = Digest.parse(text);
    if (!d.algorithm().equals("sha256")) {
      throw new IllegalArgumentException("the digest " + text + " is not SHA-256");
    }
    return d;
  }

  private static void expect(JsonToken got, JsonToken want) throws IOException {
    if (got != want) {
      throw new IOException("the table of contents is not a JSON object");
    }
  }
}
