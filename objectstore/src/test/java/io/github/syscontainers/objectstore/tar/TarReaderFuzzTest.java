package io.github.syscontainers.objectstore.tar;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The tar reader on any bytes (issue 30), with Jazzer: it reads every entry and its data, or refuses the stream
 * with an {@link IOException} (a {@link TarFormatException}, or an {@code EOFException} for a cut one); any other
 * exception, a hang or running out of memory is a finding. Seeds: {@code TarReaderFuzzTestInputs}, archives written
 * by GNU tar in its ustar, pax and gnu formats (long names, links, xattrs).
 */
class TarReaderFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void readsAnyStreamOrRefusesIt(byte[] data) {
    TarReader reader = new TarReader(new ByteArrayInputStream(data));
    try {
      for (TarEntry e = reader.next(); e != null; e = reader.next()) {
        if (e.type() == null) {
          throw new AssertionError("an entry without a type: " + e.name());
        }
        reader.data().transferTo(OutputStream.nullOutputStream());
      }
    } catch (IOException refused) {
      // what the layer importer reports as a malformed layer
    }
  }
}
