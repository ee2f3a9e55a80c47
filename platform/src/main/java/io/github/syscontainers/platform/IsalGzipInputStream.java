package io.github.syscontainers.platform;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decompresses gzip with Intel's ISA-L ({@code libisal.so.2}, Debian's {@code libisal2}) through JNA: its inflate is
 * about three times faster than zlib's, and inflating is most of the time a layer import takes. ISA-L parses the
 * gzip header and checks the trailer's CRC-32 and size; each member's header is checked first here
 * ({@link GzipHeader}, as the JDK checks it) and handed to ISA-L whole; members are read one after another as
 * {@code gzip -d} and {@link java.util.zip.GZIPInputStream} read them, and bytes after the last member that do not
 * make a valid gzip header are ignored, as the JDK ignores them.
 *
 * <p>{@link #loaded()} says whether the library loaded; {@link Platform#gzip()} uses the JDK's zlib otherwise. The
 * system property {@code syscontainers.isal=false} turns it off (to compare, or to rule it out), as
 * {@code syscontainers.native=false} does.
 *
 * <p>The offsets below are those of {@code struct inflate_state} in {@code isa-l/igzip_lib.h}; applications
 * allocate that struct themselves, so it is part of the ABI the soname {@code .so.2} promises.
 *
 * <p>Not thread-safe: one stream, one reader.
 */
final class IsalGzipInputStream extends InputStream {
  private static final Logger LOG = LoggerFactory.getLogger(IsalGzipInputStream.class);

  private static final int STATE_SIZE = 87_368;
  private static final int NEXT_OUT = 0;
  private static final int AVAIL_OUT = 8;
  private static final int NEXT_IN = 16;
  private static final int AVAIL_IN = 32;
  private static final int BLOCK_STATE = 21_160;
  private static final int CRC_FLAG = 21_172;

  private static final int ISAL_GZIP = 1;
  private static final int ISAL_BLOCK_FINISH = 5;

  private static final int IN_SIZE = 128 << 10;
  private static final int OUT_SIZE = 256 << 10;

  /** The two ISA-L calls used. */
  interface Isal extends Library {
    void isal_inflate_init(Pointer state);

    void isal_inflate_reset(Pointer state);

    int isal_inflate(Pointer state);
  }

  private static final Isal LIB = load();

  private final InputStream in;
  private final Memory state = new Memory(STATE_SIZE);
  private final Memory input = new Memory(IN_SIZE);
  private final Memory output = new Memory(OUT_SIZE);
  private final byte[] transfer = new byte[IN_SIZE];
  private int inputLength;
  private int outPos;
  private int outLimit;
  private boolean memberDone;
  /** Whether the next inflate starts a member: its header is first checked here and buffered whole. */
  private boolean atMemberStart = true;
  private boolean firstMember = true;
  private boolean eof;
  private boolean closed;

  /**
   * @param in the compressed stream, positioned at a gzip header; closed with this stream
   * @throws IllegalStateException when the library is not {@link #loaded()}
   */
  IsalGzipInputStream(InputStream in) {
    if (LIB == null) {
      throw new IllegalStateException("ISA-L (libisal.so.2) is not loaded");
    }
    this.in = in;
    LIB.isal_inflate_init(state);
    state.setInt(CRC_FLAG, ISAL_GZIP);
  }

  /** True when libisal.so.2 loaded and has not been turned off. */
  static boolean loaded() {
    return LIB != null;
  }

  private static Isal load() {
    if (!com.sun.jna.Platform.isLinux() || !com.sun.jna.Platform.is64Bit()
        || "false".equals(System.getProperty("syscontainers.isal")) || !Platform.nativeAllowed()) {
      return null;
    }
    try {
      return Native.load("libisal.so.2", Isal.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      LOG.debug("ISA-L is not available ({}); gzip layers are inflated by the JDK's zlib", e.toString());
      return null;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("Stream closed");
    }
    if (len == 0) {
      return 0;
    }
    while (outPos == outLimit) {
      if (eof) {
        return -1;
      }
      inflateMore();
    }
    int n = Math.min(len, outLimit - outPos);
    output.read(outPos, b, off, n);
    outPos += n;
    return n;
  }

  /** Produces more output, or reaches the end of the stream. */
  private void inflateMore() throws IOException {
    if (memberDone) {
      nextMemberOrEnd();
      return;
    }
    if (atMemberStart) {
      if (!headerBuffered()) {
        eof = true;
        return;
      }
      atMemberStart = false;
    }
    boolean inputEnded = state.getInt(AVAIL_IN) == 0 && !refill();
    int availIn = state.getInt(AVAIL_IN);
    state.setPointer(NEXT_OUT, output);
    state.setInt(AVAIL_OUT, OUT_SIZE);
    int rc = LIB.isal_inflate(state);
    if (rc < 0) {
      throw new ZipException(describe(rc));
    }
    outPos = 0;
    outLimit = OUT_SIZE - state.getInt(AVAIL_OUT);
    if (state.getInt(BLOCK_STATE) == ISAL_BLOCK_FINISH) {
      memberDone = true;
    } else if (outLimit == 0 && inputEnded) {
      throw new EOFException("Unexpected end of the gzip stream: it is truncated");
    } else if (outLimit == 0 && state.getInt(AVAIL_IN) == availIn) {
      throw new ZipException("The gzip stream made no progress: it is corrupt");
    }
  }

  /**
   * After a member's trailer: another member starts here, or the stream ends. Bytes after the last member that do
   * not make a gzip header are ignored, as the JDK ignores them (even when they start with the magic).
   */
  private void nextMemberOrEnd() throws IOException {
    if (state.getInt(AVAIL_IN) < 1) {
      compactAndFill(1);
    }
    int left = state.getInt(AVAIL_IN);
    if (left == 0) {
      eof = true;
      return;
    }
    long at = inputLength - left;
    LIB.isal_inflate_reset(state);
    state.setInt(CRC_FLAG, ISAL_GZIP);
    state.setPointer(NEXT_IN, input.share(at));
    state.setInt(AVAIL_IN, left);
    memberDone = false;
    atMemberStart = true;
  }

  /**
   * Checks the member's header in Java and makes sure all of it is in the buffer before ISA-L reads it: ISA-L 2.30
   * fails a valid header with FHCRC set when it arrives over several calls ("trailer CRC"). False when a later
   * member's header is invalid or cut short: what follows the last member is then ignored, as the JDK ignores it.
   */
  private boolean headerBuffered() throws IOException {
    int need = 10;
    while (true) {
      if (state.getInt(AVAIL_IN) < need) {
        if (need > IN_SIZE) {
          throw new ZipException("Invalid gzip data: a gzip header over " + (IN_SIZE >> 10) + " KiB");
        }
        compactAndFill(need);
      }
      int left = state.getInt(AVAIL_IN);
      if (left < need) {
        if (firstMember) {
          throw new EOFException("Unexpected end of the gzip stream: it is truncated");
        }
        return false;
      }
      // a header is a few bytes long unless it has a long extra field or name: copy what may be needed, not the buffer
      int have = Math.min(left, Math.max(need, 1024));
      byte[] head = new byte[have];
      input.read(inputLength - left, head, 0, have);
      int length;
      try {
        length = GzipHeader.length(head, have);
      } catch (ZipException e) {
        if (firstMember) {
          throw e;
        }
        return false;
      }
      if (length > 0) {
        firstMember = false;
        return true;
      }
      need = -length;
    }
  }

  /** Moves the unread input to the front of the buffer and reads until {@code want} bytes are there or EOF. */
  private void compactAndFill(int want) throws IOException {
    int left = state.getInt(AVAIL_IN);
    byte[] keep = new byte[left];
    input.read(inputLength - left, keep, 0, left);
    input.write(0, keep, 0, left);
    inputLength = left;
    while (inputLength < want) {
      int n = in.read(transfer, 0, IN_SIZE - inputLength);
      if (n < 0) {
        break;
      }
      input.write(inputLength, transfer, 0, n);
      inputLength += n;
    }
    state.setPointer(NEXT_IN, input);
    state.setInt(AVAIL_IN, inputLength);
  }

  /** Reads the next compressed bytes into the native buffer; false at the end of the input. */
  private boolean refill() throws IOException {
    int n = in.read(transfer, 0, IN_SIZE);
    if (n < 0) {
      return false;
    }
    input.write(0, transfer, 0, n);
    inputLength = n;
    state.setPointer(NEXT_IN, input);
    state.setInt(AVAIL_IN, n);
    return true;
  }

  private static String describe(int rc) {
    switch (rc) {
      case -1:
        return "Invalid gzip data: an invalid deflate block";
      case -2:
        return "Invalid gzip data: an invalid deflate symbol";
      case -3:
        return "Invalid gzip data: a back-reference before the start of the data";
      case -4:
        return "Invalid gzip data: not a gzip header";
      case -5:
        return "Invalid gzip data: the header names a compression method other than deflate";
      case -6:
        return "Invalid gzip data: the CRC-32 or size in the trailer does not match the data";
      default:
        return "Invalid gzip data: ISA-L error " + rc;
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      state.close();
      input.close();
      output.close();
      in.close();
    }
  }
}
