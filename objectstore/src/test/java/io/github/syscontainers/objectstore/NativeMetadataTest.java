package io.github.syscontainers.objectstore;

import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.platform.NativeXattrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner, mode, xattrs and time land on the path given, and never through a symlink. */
class NativeMetadataTest {
  @TempDir Path tmp;

  @Test
  void appliesOwnerModeXattrsAndTimeToADirectoryAndAFile() throws Exception {
    Peers.requireNative(NativeMetadata.available(), "libc bound through JNA");
    boolean root = "root".equals(System.getProperty("user.name"));
    List<Xattr> xattrs = List.of(new Xattr("user.checkout", "yes".getBytes(StandardCharsets.UTF_8)));
    for (Path p : List.of(Files.createDirectory(tmp.resolve("dir")), Files.writeString(tmp.resolve("file"), "x"))) {
      NativeMetadata.apply(p, root, 1234, 5678, root ? 02750 : 0750, xattrs);
      assertThat((int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777)
          .isEqualTo(root ? 02750 : 0750);
      assertThat(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)).isEqualTo(FileTime.fromMillis(0));
      assertThat(NativeXattrs.get(p, "user.checkout")).isEqualTo("yes".getBytes(StandardCharsets.UTF_8));
      if (root) {
        assertThat(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1234);
        assertThat(Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(5678);
      }
    }
  }

  @Test
  void refusesASymlinkAndNamesThePath() throws Exception {
    Peers.requireNative(NativeMetadata.available(), "libc bound through JNA");
    Path target = Files.createDirectory(tmp.resolve("target"));
    int before = (int) Files.getAttribute(target, "unix:mode");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    assertThatThrownBy(() -> NativeMetadata.apply(link, false, 0, 0, 0700, List.of()))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Tried to set the owner, mode and time of " + link + " but cannot open it (errno ");
    assertThat((int) Files.getAttribute(target, "unix:mode")).isEqualTo(before);
  }
}
