package io.github.syscontainers.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.RequestWaiting;
import io.github.syscontainers.model.TransferEvent;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Shows the progress of a pull: a bar redrawn in place on a terminal, one line per step otherwise (as skopeo's
 * "Copying blob … done"), nothing when quiet, or one JSON object per event. Blobs arrive in parallel, so the bar
 * sums them.
 *
 * <p>Thread-safe.
 */
final class ProgressPrinter implements io.github.syscontainers.api.Progress {
  /** How to show progress. */
  enum Mode {
    BARS,
    LINES,
    QUIET,
    JSON
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter out;
  private final Mode mode;
  private final Map<Digest, long[]> active = new LinkedHashMap<>();
  private long lastDraw;
  private boolean barShown;

  ProgressPrinter(PrintWriter out, Mode mode) {
    this.out = out;
    this.mode = mode;
  }

  /** Bars on a terminal, lines otherwise. */
  static Mode detect() {
    return System.console() != null ? Mode.BARS : Mode.LINES;
  }

  @Override
  public synchronized void on(TransferEvent e) {
    switch (mode) {
      case QUIET:
        return;
      case JSON:
        json(e);
        return;
      default:
        human(e);
    }
  }

  /**
   * A registry is about to be reached over TLS: the native AES-GCM goes first in the JVM's list now, before the
   * handshake (whose cipher then stays for the layers fetched on the connection). A registry reached in plain HTTP,
   * and a warm install, which reaches none, never make the JDK load its providers for it (30 ms).
   */
  @Override
  public void securing(String host) {
    io.github.syscontainers.platform.CryptoProvider.installCipherLazily();
  }

  /**
   * The layers to fetch: the native SHA-256 for a megabyte or more, from outside the JVM's provider list
   * ({@link Main#preferNativeSha256()}). A small image is hashed faster by the JDK than AWS-LC loads and tests itself
   * (about 70 ms).
   */
  @Override
  public void fetching(long bytes) {
    if (bytes >= NATIVE_CRYPTO_FROM) {
      Main.preferNativeSha256();
    }
  }

  /** Layers (compressed) from which the native crypto provider pays for its start, as the JDK hashes on C1 alone. */
  static final long NATIVE_CRYPTO_FROM = 1L << 20;

  /** A request awaiting its answer: one line each time, so silence never lasts more than a few seconds. */
  @Override
  public synchronized void waiting(RequestWaiting w) {
    switch (mode) {
      case QUIET:
        return;
      case JSON:
        ObjectNode n = JSON.createObjectNode();
        n.put("event", "waiting");
        n.put("registry", w.registry());
        n.put("request", w.request());
        n.put("waited_seconds", w.waited().toSeconds());
        n.put("attempt", w.attempt());
        n.put("attempts", w.attempts());
        n.put("deadline_seconds", w.deadline().toSeconds());
        out.println(n.toString());
        out.flush();
        return;
      default:
        line(w.describe());
        if (mode == Mode.BARS) {
          drawBar(true);
        }
    }
  }

  private void human(TransferEvent e) {
    String id = shortId(e.blob());
    if (e instanceof TransferEvent.Started) {
      active.put(e.blob().digest(), new long[] {e.blob().size(), 0});
      if (mode == Mode.LINES) {
        line("Copying blob " + id + " (" + mib(e.blob().size()) + ")");
      }
    } else if (e instanceof TransferEvent.Progress) {
      long[] a = active.get(e.blob().digest());
      if (a != null) {
        a[1] = ((TransferEvent.Progress) e).bytes();
      }
    } else if (e instanceof TransferEvent.Resumed) {
      TransferEvent.Resumed r = (TransferEvent.Resumed) e;
      line("Resuming blob " + id + " at " + mib(r.offset()) + ": " + r.reason());
    } else if (e instanceof TransferEvent.Present) {
      line("Skipping blob " + id + ": already present");
    } else if (e instanceof TransferEvent.Verified) {
      active.remove(e.blob().digest());
      line("Copying blob " + id + " done");
    } else if (e instanceof TransferEvent.Failed) {
      active.remove(e.blob().digest());
    } else if (e instanceof TransferEvent.Partial) {
      TransferEvent.Partial p = (TransferEvent.Partial) e;
      active.remove(e.blob().digest());
      line("Copying blob " + id + " in part: " + mib(p.fetched()) + " of " + mib(e.blob().size()) + " fetched ("
          + p.filesFetched() + " file(s); " + p.filesReused() + " already stored)");
    } else if (e instanceof TransferEvent.Whole) {
      line("Copying blob " + id + " whole: " + ((TransferEvent.Whole) e).reason());
    }
    if (mode == Mode.BARS) {
      drawBar(!(e instanceof TransferEvent.Progress));
    }
  }

  /** Prints a permanent line, above the bar on a terminal. */
  private void line(String text) {
    if (barShown) {
      out.print("\r\033[K");
      barShown = false;
    }
    out.println(text);
    out.flush();
  }

  private void drawBar(boolean force) {
    long now = System.nanoTime();
    if (active.isEmpty() || (!force && now - lastDraw < REDRAW_NANOS)) {
      return;
    }
    lastDraw = now;
    long total = 0;
    long done = 0;
    for (long[] a : active.values()) {
      total += a[0];
      done += a[1];
    }
    int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
    String what = active.size() == 1 ? "blob " + active.keySet().iterator().next().hex().substring(0, 12)
        : active.size() + " blobs";
    out.print("\r\033[KCopying " + what + " [" + "=".repeat(filled) + (filled < WIDTH ? ">" : "")
        + " ".repeat(Math.max(0, WIDTH - filled - 1)) + "] " + mib(done) + " / " + mib(total));
    out.flush();
    barShown = true;
  }

  private void json(TransferEvent e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("event", e.getClass().getSimpleName().toLowerCase(Locale.ROOT));
    n.put("digest", e.blob().digest().toString());
    n.put("size", e.blob().size());
    if (e instanceof TransferEvent.Progress) {
      n.put("bytes", ((TransferEvent.Progress) e).bytes());
    } else if (e instanceof TransferEvent.Resumed) {
      n.put("offset", ((TransferEvent.Resumed) e).offset());
      n.put("reason", ((TransferEvent.Resumed) e).reason());
    } else if (e instanceof TransferEvent.Failed) {
      n.put("message", ((TransferEvent.Failed) e).message());
    } else if (e instanceof TransferEvent.Partial) {
      TransferEvent.Partial p = (TransferEvent.Partial) e;
      n.put("fetched", p.fetched());
      n.put("filesFetched", p.filesFetched());
      n.put("filesReused", p.filesReused());
    } else if (e instanceof TransferEvent.Whole) {
      n.put("reason", ((TransferEvent.Whole) e).reason());
    }
    out.println(n.toString());
    out.flush();
  }

  private static String shortId(Descriptor d) {
    return d.digest().hex().substring(0, 12);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
