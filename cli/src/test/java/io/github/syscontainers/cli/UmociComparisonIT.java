package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.fixtures.TreeSnapshot;
import io.github.syscontainers.platform.NativeXattrs;
import io.github.syscontainers.objectstore.Xattr;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our checkout of an image equals {@code umoci unpack} of the same image, entry by entry: path, type, mode,
 * owner, size, content, symlink target, xattrs, and umoci's hard-link groups (ours may link more, since identical
 * files share one object).
 */
class UmociComparisonIT {
  @TempDir Path tmp;

  static final byte[] CAP = HexFormat.of().parseHex("0100000280000000000000000000000000000000");

  static TestImage image() {
    return TestImage.builder()
        .layer(
            LayerBuilder.layer()
                .dir("etc", 0755)
                .file("etc/keep.conf", "keep\n", 0644)
                .file("etc/old.conf", "old\n", 0644)
                .dir("var/cache/app", 0755)
                .file("var/cache/app/a", "a\n", 0644)
                .file("x", "file first\n", 0644)
                .dir("y", 0755)
                .file("y/in", "in\n", 0644)
                .file("bin/tool", "#!/bin/sh\necho tool\n", 0755)
                .file("bin/suid", "s\n".getBytes(), 04755, 0, 0)
                .file("bin/sgid", "g\n".getBytes(), 02755, 0, 50)
                .file("home/user/owned", "o\n".getBytes(), 0640, 1000, 1000)
                .dir("tmp", 01777)
                .symlink("bin/rel", "tool")
                .symlink("abs", "/etc/keep.conf")
                .symlink("dangling", "/nowhere")
                .hardlink("bin/tool-again", "bin/tool")
                .file("empty", new byte[0], 0644, 0, 0)
                .fileWithXattrs("etc/xattr", "x\n", 0644, Map.of("user.note", "kept"))
                .fileWithRawXattr("bin/ping", "ping\n", 0755, "security.capability", CAP))
        .layer(
            LayerBuilder.layer()
                .whiteout("etc/old.conf")
                .opaque("var/cache")
                .file("var/cache/new", "n\n", 0644)
                .dir("x", 0750)
                .file("x/now-a-dir", "d\n", 0644)
                .file("y", "now a file\n", 0600)
                .file("etc/keep.conf", "changed\n", 0600))
        .layer(LayerBuilder.layer().file("x", "file again\n", 0644).whiteout("dangling"))
        .build();
  }

  @Test
  void checkoutEqualsUmociUnpack() throws Exception {
    Peers.requireRoot();
    String umoci = Peers.require("umoci").toString();
    Path layout = tmp.resolve("layout");
    image().writeOciLayout(layout, "1");

    Path bundle = tmp.resolve("bundle");
    Exec.Result u = Exec.run(List.of(umoci, "unpack", "--image", layout + ":1", bundle.toString()));
    assertThat(u.exitCode()).as(u.output()).isZero();
    Path theirs = bundle.resolve("rootfs");

    Path root = tmp.resolve("root");
    Exec.Result r = Launcher.run("install", "--system", "--name", "cmp", "--root", root.toString(), "oci:" + layout + ":1");
    if (String.valueOf(System.getenv("SYSCONTAINERS_JAVA_OPTS")).contains("-Dsyscontainers.native=false")) {
      // natives off in the launcher's JVM (SYSCONTAINERS_JAVA_OPTS, which the launcher passes on): the JDK's twin
      // writes user.* xattrs only, so bin/ping's security.capability is refused with its reason (docs/platform.md)
      assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
      assertThat(r.output()).contains("cannot set the xattr security.capability")
          .contains("-Dsyscontainers.native=false turned them off");
      return;
    }
    assertThat(r.exitCode()).as(r.output()).isZero();
    Path ours = root.resolve("var/lib/containers/atomic/cmp.0/rootfs");

    Map<String, String> expected = TreeSnapshot.of(theirs, true);
    assertThat(TreeSnapshot.of(ours, true)).isEqualTo(expected);
    assertThat(expected).containsKeys("/x", "/y", "/var/cache/new").doesNotContainKeys("/etc/old.conf", "/dangling");
    assertThat(xattrs(ours)).isEqualTo(xattrs(theirs)).containsKey("/bin/ping");
    for (List<String> group : linkGroups(theirs)) {
      Object inode = Files.getAttribute(ours.resolve(group.get(0).substring(1)), "unix:ino");
      for (String p : group) {
        assertThat(Files.getAttribute(ours.resolve(p.substring(1)), "unix:ino")).as(p).isEqualTo(inode);
      }
    }
  }

  private static Map<String, String> xattrs(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isSymbolicLink(p) || p.equals(root)) {
          continue;
        }
        List<Xattr> x = new ArrayList<>(Xattr.of(NativeXattrs.list(p)));
        x.removeIf(a -> a.name().equals("user.ostreemeta") || a.name().startsWith("security.selinux"));
        if (!x.isEmpty()) {
          out.put("/" + root.relativize(p), Xattr.sorted(x).toString());
        }
      }
    }
    return out;
  }

  private static List<List<String>> linkGroups(Path root) throws Exception {
    Map<Object, List<String>> byInode = new HashMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          byInode.computeIfAbsent(Files.getAttribute(p, "unix:ino"), k -> new ArrayList<>()).add("/" + root.relativize(p));
        }
      }
    }
    return byInode.values().stream().filter(g -> g.size() > 1).toList();
  }
}
