package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Entries order by the UTF-8 bytes of their names, whatever characters the names hold. */
class DirTreeTest {
  static final ObjectId ID = new ObjectId("a".repeat(64));
  // ASCII, Latin-1, the last characters before the surrogates, both halves of a pair, after them, and U+FFFD
  static final char[] ALPHABET = {
    'a', 'b', 'B', '.', '~', '\u00e9', '\u00ff', '\u0100', '\ud7ff', '\ud83d', '\ude00', '\ue000', '\uffff', '\ufffd'
  };

  @Test
  void comparesNamesAsTheirUtf8BytesCompare() {
    Random r = new Random(8);
    for (int i = 0; i < 200_000; i++) {
      String a = name(r);
      String b = r.nextInt(4) == 0 ? a + name(r) : name(r);
      int bytes =
          Integer.signum(
              Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
      assertThat(Integer.signum(DirTree.compareNames(a, b))).as("'%s' against '%s'", a, b).isEqualTo(bytes);
      assertThat(Integer.signum(DirTree.compareNames(b, a))).as("'%s' against '%s'", b, a).isEqualTo(-bytes);
    }
  }

  @Test
  void sortsEntriesThatComeOutOfOrderAndKeepsThoseInOrder() {
    List<DirTree.FileEntry> inOrder = new ArrayList<>();
    for (String n : List.of("B", "a", "ab", "b", "\u00e9", "\ufffd", "\ud83d\ude00")) {
      inOrder.add(new DirTree.FileEntry(n, ID));
    }
    assertThat(new DirTree(inOrder, List.of()).files()).containsExactlyElementsOf(inOrder);
    List<DirTree.FileEntry> shuffled = new ArrayList<>(inOrder);
    Collections.shuffle(shuffled, new Random(3));
    List<DirTree.DirEntry> dirs = List.of(new DirTree.DirEntry("z", ID, ID), new DirTree.DirEntry("y", ID, ID));
    DirTree t = new DirTree(shuffled, dirs);
    assertThat(t.files()).containsExactlyElementsOf(inOrder);
    assertThat(t.dirs()).extracting(DirTree.DirEntry::name).containsExactly("y", "z");
  }

  private static String name(Random r) {
    char[] c = new char[1 + r.nextInt(4)];
    for (int i = 0; i < c.length; i++) {
      c[i] = ALPHABET[r.nextInt(ALPHABET.length)];
    }
    return new String(c);
  }
}
