package io.github.syscontainers.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Peers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The libc pieces pass their known-answer self-tests here, and a piece that gives other bytes fails its own. */
class LibcSelfTestTest {
  @TempDir Path tmp;

  @Test
  void objectFilesWrittenThroughLibcReadBackThroughTheJdk() throws Exception {
    Peers.requireNative(NativeObjectFile.available(), "libc is not reachable through JNA");
    assertThat(LibcSelfTest.objectFile(tmp)).isNull();
    assertThat(NativeObjectFile.supported(tmp)).isTrue();
    assertThat(tmp).isEmptyDirectory(); // the test's file is gone
  }

  @Test
  void xattrsGoBothWaysBetweenLibcAndTheJdk() throws Exception {
    Peers.requireNative(NativeXattrs.available(), "libc is not reachable through JNA");
    assertThat(LibcSelfTest.xattrs(NativeXattrs.LIBC)).isNull();
  }

  /** A binding that reads back other bytes than were written: its self-test says so, and the twin would serve. */
  @Test
  void aBindingThatReadsOtherBytesFailsItsSelfTest() throws Exception {
    Peers.requireNative(NativeXattrs.available(), "libc is not reachable through JNA");
    NativeXattrs.CLib real = NativeXattrs.LIBC;
    NativeXattrs.CLib wrong = new NativeXattrs.CLib() {
      @Override
      public int lsetxattr(byte[] path, String name, byte[] value, long size, int flags) {
        byte[] changed = value.clone();
        changed[0] ^= 1;
        return real.lsetxattr(path, name, changed, size, flags);
      }

      @Override
      public long llistxattr(byte[] path, byte[] list, long size) {
        return real.llistxattr(path, list, size);
      }

      @Override
      public long lgetxattr(byte[] path, String name, byte[] value, long size) {
        return real.lgetxattr(path, name, value, size);
      }

      @Override
      public int lremovexattr(byte[] path, String name) {
        return real.lremovexattr(path, name);
      }

      @Override
      public int open(byte[] path, int flags) {
        return real.open(path, flags);
      }

      @Override
      public int syncfs(int fd) {
        return real.syncfs(fd);
      }

      @Override
      public int close(int fd) {
        return real.close(fd);
      }
    };
    assertThat(LibcSelfTest.xattrs(wrong)).isEqualTo("the JDK read other bytes than lsetxattr wrote");
  }
}
