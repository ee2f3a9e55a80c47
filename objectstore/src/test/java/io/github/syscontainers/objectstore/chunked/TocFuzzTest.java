package io.github.syscontainers.objectstore.chunked;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * The zstd:chunked table of contents reader on any bytes (issue 32): a table comes from a registry, checked against
 * its annotation's checksum, but the publisher chose it. Any bytes give a table or an {@link IOException}; any other
 * exception, a hang or running out of memory is a finding. What a partial pull then trusts of each entry (a regular
 * file with data has a SHA-256 digest, and frames that run forwards) holds of every table read.
 */
class TocFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void readsAnyTableOrRefusesIt(byte[] json) {
    Toc toc;
    try {
      toc = Toc.parse(json);
    } catch (IOException refused) {
      return;
    }
    for (Toc.Entry e : toc.entries()) {
      if (e.hasData() && (e.endOffset() <= e.offset() || e.size() <= 0
          || !e.digest().orElseThrow().algorithm().equals("sha256"))) {
        throw new IllegalStateException("an entry with data that does not hold: " + e);
      }
      if (e.type().equals("chunk")) {
        throw new IllegalStateException("a chunk entry was kept: " + e);
      }
    }
  }
}
