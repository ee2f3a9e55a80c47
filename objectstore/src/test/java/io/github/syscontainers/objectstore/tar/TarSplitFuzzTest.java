package io.github.syscontainers.objectstore.tar;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The tar-split reader on any record (issue 31): a layer commit another tool wrote (atomic, through skopeo) is outside
 * input. Any bytes, as the JSON lines inside the gzip stream, give a tar or a {@link TarFormatException} (or another
 * {@link IOException}); any other exception, a hang or running out of memory is a finding. Every file of the layer
 * holds "file data\n". Seeds: records of the shapes {@link TarSplitWriter} and containers/storage write.
 */
class TarSplitFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void assemblesAnyRecordOrRefusesIt(byte[] json) throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
      g.write(json);
    }
    try {
      TarSplitAssembler.assemble(new ByteArrayInputStream(gz.toByteArray()),
          name -> new ByteArrayInputStream("file data\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
          OutputStream.nullOutputStream());
    } catch (IOException refused) {
      // a malformed record, or a file that is not what the layer held
    }
  }
}
