package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MultipartReader;
import okhttp3.Response;

/**
 * Fetches parts of a blob with {@code Range} requests, as containers/storage's partial pulls do: the ranges asked for,
 * with gaps under 1 KiB between them merged, at most 1024 in a request; a {@code 206} answer in
 * {@code multipart/byteranges} parts or as one range, or a {@code 200} with the whole blob, from which the ranges are
 * taken as it passes; a {@code 400} or {@code 416} to several ranges is answered by asking for half of them at a
 * time. Each range goes to the receiver as its bytes arrive; what it verifies is its own. It counts the bytes the
 * registry sent.
 *
 * <p>Not thread-safe: one per fetch.
 */
final class BlobRangeFetcher {
  static final int MAX_RANGES = 1024;
  static final long MERGE_GAP = 1024;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  /** GETs the blob with the given {@code Range} header value. */
  @FunctionalInterface
  interface Requester {
    Response get(String range) throws IOException;
  }

  private final Requester requester;
  private final Descriptor blob;
  private final String what;
  private final boolean wholeTaken;
  private long received;

  BlobRangeFetcher(Requester requester, Descriptor blob, String what) {
    this(requester, blob, what, true);
  }

  /**
   * @param wholeTaken whether a {@code 200} with the whole blob is read for the ranges; when not, it is a
   *     {@link RangesIgnored} and the body is not read (a caller that would then rather fetch the blob once, whole)
   */
  BlobRangeFetcher(Requester requester, Descriptor blob, String what, boolean wholeTaken) {
    this.requester = requester;
    this.blob = blob;
    this.what = what;
    this.wholeTaken = wholeTaken;
  }

  /** A registry that answered a Range request with the whole blob, when that was not to be read. */
  static final class RangesIgnored extends RegistryException {
    private static final long serialVersionUID = 1L;

    RangesIgnored(String message) {
      super(message);
    }
  }

  /** The bytes the registry sent for the ranges: those asked for, the merged gaps, and a whole blob if it sent one. */
  long received() {
    return received;
  }

  /**
   * Sends each of {@code wanted} (sorted, not overlapping, within the blob) to {@code receiver}.
   *
   * @throws RegistryException when the registry refuses or the answer does not hold the ranges; nothing is then
   *     known to have been received whole but what the receiver took
   */
  void fetch(List<ByteRange> wanted, RangeReceiver receiver) throws IOException {
    long last = 0;
    for (ByteRange r : wanted) {
      if (r.start() < last || r.end() > blob.size()) {
        throw new IllegalArgumentException("ranges must be sorted, apart and within the blob's " + blob.size()
            + " bytes: " + r);
      }
      last = r.end();
    }
    List<ByteRange> spans = merge(wanted);
    LinkedList<ByteRange> pending = new LinkedList<>(wanted);
    for (int i = 0; i < spans.size(); i += MAX_RANGES) {
      request(spans.subList(i, Math.min(spans.size(), i + MAX_RANGES)), pending, receiver);
    }
    if (!pending.isEmpty()) {
      throw new RegistryException("The registry did not send " + pending.size() + " of the ranges of blob "
          + blob.digest() + " of " + what + " asked for (the first: bytes " + pending.getFirst().header() + ")");
    }
  }

  /** The spans to ask for: the ranges, each joined to the next when under {@link #MERGE_GAP} bytes lie between. */
  static List<ByteRange> merge(List<ByteRange> ranges) {
    List<ByteRange> spans = new ArrayList<>();
    ByteRange open = null;
    for (ByteRange r : ranges) {
      if (open != null && r.start() - open.end() < MERGE_GAP) {
        open = new ByteRange(open.start(), r.end());
      } else {
        if (open != null) {
          spans.add(open);
        }
        open = r;
      }
    }
    if (open != null) {
      spans.add(open);
    }
    return spans;
  }

  private void request(List<ByteRange> spans, LinkedList<ByteRange> pending, RangeReceiver receiver)
      throws IOException {
    StringBuilder header = new StringBuilder("bytes=");
    for (int i = 0; i < spans.size(); i++) {
      header.append(i == 0 ? "" : ",").append(spans.get(i).header());
    }
    try (Response r = requester.get(header.toString())) {
      int code = r.code();
      if (code == 206) {
        String type = r.header("Content-Type", "");
        if (type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/byteranges")) {
          try (MultipartReader parts = new MultipartReader(r.body())) {
            MultipartReader.Part next;
            while ((next = parts.nextPart()) != null) {
              try (MultipartReader.Part p = next) {
                deliver(contentRange(p.headers().get("Content-Range")), p.body().inputStream(), pending, receiver);
              }
            }
          }
        } else {
          deliver(contentRange(r.header("Content-Range")), r.body().byteStream(), pending, receiver);
        }
      } else if (code == 200 && !wholeTaken) {
        throw new RangesIgnored("The registry ignores Range requests: it answered 200 with the whole blob "
            + blob.digest() + " of " + what);
      } else if (code == 200) {
        // the registry ignored Range: the whole blob, from which the ranges are taken as it passes
        deliver(new ByteRange(0, blob.size()), r.body().byteStream(), pending, receiver);
      } else if ((code == 400 || code == 416) && spans.size() > 1) {
        int half = spans.size() / 2;
        r.close();
        request(spans.subList(0, half), pending, receiver);
        request(spans.subList(half, spans.size()), pending, receiver);
      } else {
        throw new RegistryException("The registry answered HTTP " + code + " to a request for " + spans.size()
            + " range(s) of blob " + blob.digest() + " of " + what);
      }
    }
  }

  private ByteRange contentRange(String header) throws RegistryException {
    Matcher m = CONTENT_RANGE.matcher(header == null ? "" : header.trim());
    if (!m.matches()) {
      throw new RegistryException("The registry sent a part of blob " + blob.digest() + " of " + what
          + " with the Content-Range '" + header + "', which names no range of it");
    }
    long first = Long.parseLong(m.group(1));
    long lastByte = Long.parseLong(m.group(2));
    if (lastByte < first || lastByte >= blob.size() || (!m.group(3).equals("*")
        && Long.parseLong(m.group(3)) != blob.size())) {
      throw new RegistryException("The registry sent a part of blob " + blob.digest() + " of " + what
          + " with the Content-Range '" + header + "', not within its " + blob.size() + " bytes");
    }
    return new ByteRange(first, lastByte + 1);
  }

  /** Hands every pending range within {@code got} to the receiver, reading {@code in} (which starts at got's start). */
  private void deliver(ByteRange got, InputStream body, LinkedList<ByteRange> pending, RangeReceiver receiver)
      throws IOException {
    Counted in = new Counted(body);
    long position = got.start();
    for (Iterator<ByteRange> it = pending.iterator(); it.hasNext(); ) {
      ByteRange w = it.next();
      if (w.start() < got.start() || w.end() > got.end()) {
        continue;
      }
      skipFully(in, w.start() - position);
      Bounded bytes = new Bounded(in, w.length());
      receiver.accept(w, bytes);
      skipFully(bytes, bytes.left);
      position = w.end();
      it.remove();
    }
    received += in.count;
  }

  private void skipFully(InputStream in, long n) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new RegistryException("A part of blob " + blob.digest() + " of " + what + " ended " + n
            + " bytes early");
      }
      n -= r;
    }
  }

  /** Counts what is read. */
  private static final class Counted extends FilterInputStream {
    long count;

    Counted(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      count += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      count += Math.max(n, 0);
      return n;
    }
  }

  /** Exactly {@code left} bytes of {@code in}; ending early is an error. Closing leaves {@code in} open. */
  private final class Bounded extends InputStream {
    private final InputStream in;
    long left;

    Bounded(InputStream in, long left) {
      this.in = in;
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new RegistryException("A range of blob " + blob.digest() + " of " + what + " ended " + left
            + " bytes early");
      }
      left -= n;
      return n;
    }

    @Override
    public void close() {}
  }
}
