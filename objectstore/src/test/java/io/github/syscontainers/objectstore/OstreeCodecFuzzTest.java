package io.github.syscontainers.objectstore;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * The GVariant decoding of OSTree's metadata objects on any bytes (issue 30), with Jazzer: a repository another tool
 * wrote (or a damaged one) is outside input. Each decoder gives a value or throws {@link IllegalArgumentException},
 * which the repository turns into its checked {@link ObjectStoreException}; any other exception, a hang or running
 * out of memory is a finding. The first byte of an input picks the object type (commit, dirtree, dirmeta, the
 * header of an archive-mode file object), the rest is the object. Seeds: objects written by ostree 2022.7.
 */
class OstreeCodecFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void decodesAnyObjectOrRefusesIt(byte[] data) {
    if (data.length == 0) {
      return;
    }
    byte[] object = Arrays.copyOfRange(data, 1, data.length);
    try {
      switch (data[0] & 3) {
        case 0:
          OstreeCodec.decodeCommit(object);
          break;
        case 1:
          OstreeCodec.decodeDirTree(object);
          break;
        case 2:
          OstreeCodec.decodeDirMeta(object);
          break;
        default:
          OstreeCodec.decodeArchiveHeader(object);
          break;
      }
    } catch (IllegalArgumentException refused) {
      // malformed: the repository reports the object as such
    }
  }
}
