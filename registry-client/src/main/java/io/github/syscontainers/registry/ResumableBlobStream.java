package io.github.syscontainers.registry;

import io.github.syscontainers.model.TransferEvent;
import io.github.syscontainers.model.Descriptor;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Protocol;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blob's body that survives a broken connection: when the body breaks off, stalls past the read timeout, ends
 * early, or trickles below the low-speed limit, the rest is asked for again with {@code Range: bytes=N-}. A
 * {@code 206} must start at {@code N}; a registry that ignores {@code Range} and answers {@code 200} is read again
 * from the start and its first {@code N} bytes are skipped, so the caller's digest still covers one continuous
 * stream. Resumes are capped by the {@link RetryPolicy}.
 *
 * <p>Not thread-safe.
 */
final class ResumableBlobStream extends ChunkReadingStream {
  private static final Logger LOG = LoggerFactory.getLogger(ResumableBlobStream.class);
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  /** Asks the registry for the blob from {@code offset} on ({@code 0}: the whole blob, no {@code Range}). */
  interface Opener {
    Response open(long offset) throws IOException;
  }

  private final Opener opener;
  private final Descriptor blob;
  private final String what;
  private final RetryPolicy policy;
  private final TransferListener listener;
  private Response response;
  private InputStream in;
  private long offset;
  private int resumes;
  private long windowStart = System.nanoTime();
  private long windowBytes;
  private IOException tooSlow;

  private ResumableBlobStream(
      Response first, Opener opener, Descriptor blob, String what, RetryPolicy policy, TransferListener listener) {
    this.response = first;
    this.opener = opener;
    this.blob = blob;
    this.what = what;
    this.policy = policy;
    this.listener = listener;
  }

  /**
   * Opens the blob from {@code offset} on: for a source that takes over a blob another source began (a mirror
   * that broke off).
   */
  static ResumableBlobStream openAt(
      Opener opener, Descriptor blob, String what, RetryPolicy policy, TransferListener listener, long offset)
      throws IOException {
    Response r = opener.open(offset);
    ResumableBlobStream s = new ResumableBlobStream(r, opener, blob, what, policy, listener);
    s.offset = offset;
    try {
      s.accept(r);
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
    return s;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (true) {
      try {
        if (tooSlow != null) {
          IOException slow = tooSlow;
          tooSlow = null;
          throw slow;
        }
        int n = in.read(b, off, len);
        if (n < 0) {
          if (offset < blob.size()) {
            throw new EOFException("the body ended after " + offset + " of " + blob.size() + " bytes");
          }
          return -1;
        }
        offset += n;
        // the n bytes read are the caller's whatever the speed: a body found too slow is dropped at the next read,
        // so the resume starts exactly after them (dropping them here lost them from the stream, issue 27)
        tooSlow = checkSpeed(n);
        return n;
      } catch (RegistryException e) {
        throw e;
      } catch (IOException e) {
        resume(e);
      }
    }
  }

  /** The failure to resume with when the body arrived below the low-speed limit over the last window, else null. */
  private IOException checkSpeed(int n) {
    windowBytes += n;
    long now = System.nanoTime();
    long elapsed = now - windowStart;
    if (elapsed < policy.lowSpeedWindow().toNanos()) {
      return null;
    }
    double rate = windowBytes * 1e9 / elapsed;
    windowStart = now;
    windowBytes = 0;
    if (offset < blob.size() && rate < policy.lowSpeedBytesPerSecond()) {
      return new IOException(
          String.format(
              "the body arrived at %.0f bytes/s, under the limit of %d bytes/s over %d s", rate,
              policy.lowSpeedBytesPerSecond(), policy.lowSpeedWindow().toSeconds()));
    }
    return null;
  }

  private void resume(IOException cause) throws IOException {
    closeQuietly();
    if (resumes >= policy.resumes()) {
      throw new RegistryException(
          "Blob " + blob.digest() + " of " + what + " broke off at byte " + offset + " of " + blob.size() + " ("
              + cause.getMessage() + ") and " + resumes + " resumes did not finish it; the registry or the network"
              + " is failing, try again later", cause);
    }
    resumes++;
    LOG.info("Blob {} of {} broke off at byte {} of {} ({}); resuming", blob.digest(), what, offset, blob.size(), cause.toString());
    listener.on(new TransferEvent.Resumed(blob, offset, cause.getMessage()));
    Response r = opener.open(offset);
    accept(r);
    windowStart = System.nanoTime();
    windowBytes = 0;
  }

  /** Takes {@code r}, an answer to a request from {@link #offset} on, as the body to read from. */
  private void accept(Response r) throws IOException {
    if (r.isSuccessful() && r.code() != 206) {
      long length = r.body().contentLength();
      if (length >= 0 && length != blob.size()) {
        r.close();
        throw new RegistryException(
            "The registry sent " + length + " bytes for blob " + blob.digest() + " of " + what + ", which declares "
                + blob.size() + "; refusing it");
      }
    }
    if (offset == 0 && r.isSuccessful() && r.code() != 206) {
      take(r);
    } else if (r.code() == 206) {
      Matcher m = CONTENT_RANGE.matcher(String.valueOf(r.header("Content-Range")));
      if (!m.matches() || Long.parseLong(m.group(1)) != offset
          || (!m.group(3).equals("*") && Long.parseLong(m.group(3)) != blob.size())) {
        r.close();
        throw new RegistryException(
            "The registry answered the resume of blob " + blob.digest() + " of " + what + " at byte " + offset
                + " with Content-Range '" + r.header("Content-Range") + "'; refusing it, pull again");
      }
      take(r);
    } else if (r.code() == 200) {
      take(r);
      LOG.debug("The registry ignored Range; skipping {} bytes of the full body", offset);
      try {
        in.skipNBytes(offset);
      } catch (IOException e) {
        throw new RegistryException(
            "The registry ignored the resume of blob " + blob.digest() + " of " + what + " and sent it again, but"
                + " that body broke off too (" + e.getMessage() + "); try again later", e);
      }
    } else {
      try (r) {
        throw RegistryErrors.of(r, "resume blob " + blob.digest() + " of " + what + " at byte " + offset);
      }
    }
  }

  /**
   * Reads the body of {@code r} from now on. Over HTTP/1 (all the client speaks), the socket's own timeout (which
   * OkHttp sets to the read timeout) is what notices a stall, in the kernel's poll; the body's Okio timeout would do
   * the same again with a watchdog thread woken for every 8 KiB read (19,000 wake-ups for a 155 MB layer), so it is
   * turned off. An HTTP/2 stream would keep its own: its socket has no timeout.
   */
  private void take(Response r) {
    response = r;
    if (r.protocol() == Protocol.HTTP_1_1 || r.protocol() == Protocol.HTTP_1_0) {
      r.body().source().timeout().clearTimeout();
    }
    in = r.body().byteStream();
  }

  private void closeQuietly() {
    try {
      response.close();
    } catch (RuntimeException e) {
      LOG.debug("closing a broken response: {}", e.toString());
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
