package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Checks a blob against its descriptor while it flows: no byte past the declared size, and at the end the exact
 * size and the digest. A reader that stops early gets no verdict, so consumers read to the end.
 *
 * <p>Not thread-safe.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final Descriptor descriptor;
  private final String where;
  private final MessageDigest digest;
  private long count;
  private boolean verified;

  public VerifyingInputStream(InputStream in, Descriptor descriptor, String where) {
    super(in);
    this.descriptor = descriptor;
    this.where = where;
    this.digest = descriptor.digest().newMessageDigest();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      verify();
      return -1;
    }
    count += n;
    if (count > descriptor.size()) {
      throw new RegistryException(
          "Blob " + descriptor.digest() + " from " + where + " is longer than the " + descriptor.size()
              + " bytes its descriptor declares; the source is corrupt or hostile");
    }
    digest.update(b, off, n);
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void verify() throws RegistryException {
    if (verified) {
      return;
    }
    if (count != descriptor.size()) {
      throw new RegistryException(
          "Blob " + descriptor.digest() + " from " + where + " ended after " + count + " of " + descriptor.size()
              + " bytes; it is truncated, fetch it again");
    }
    if (!descriptor.digest().matches(digest.digest())) {
      throw new RegistryException(
          "Blob from " + where + " does not match its digest " + descriptor.digest()
              + "; the source is corrupt or was altered, fetch it again");
    }
    verified = true;
  }

  /** Reads a whole small blob, verified, with a size cap. */
  public static byte[] readAll(InputStream in, Descriptor d, String where, long cap) throws IOException {
    if (d.size() > cap) {
      throw new RegistryException(
          "Blob " + d.digest() + " from " + where + " declares " + d.size() + " bytes, over the " + cap
              + "-byte limit for this kind of blob");
    }
    try (VerifyingInputStream v = new VerifyingInputStream(in, d, where)) {
      byte[] data = v.readNBytes((int) d.size());
      if (v.read() != -1) {
        throw new RegistryException("Blob " + d.digest() + " from " + where + " is longer than declared");
      }
      return data;
    }
  }
}
