package io.github.syscontainers.objectstore.gvariant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden vectors from ostree-format.md §2.6, Example 9 (values inside a{sv}, written by the ostree binary). */
class GVariantTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static byte[] variant(String type, Object value) {
    return GVariant.serialize("v", new Variant(type, value));
  }

  @Test
  void variantsMatchWhatOstreeWrote() {
    assertThat(variant("s", "1234")).isEqualTo(hex("31 32 33 34 00 00 73"));
    assertThat(variant("t", 42L)).isEqualTo(hex("2a 00 00 00 00 00 00 00 00 74"));
    assertThat(variant("b", true)).isEqualTo(hex("01 00 62"));
    assertThat(variant("as", List.of("a", "bb"))).isEqualTo(hex("61 00 62 62 00 02 05 00 61 73"));
    assertThat(variant("a{sv}", List.of(List.of("k", new Variant("i", 1)))))
        .isEqualTo(hex("6b 00 00 00 00 00 00 00 01 00 00 00 00 69 02 0f 00 61 7b 73 76 7d"));
    assertThat(variant("ms", Optional.of("x"))).isEqualTo(hex("78 00 00 00 6d 73"));
    assertThat(variant("(ys)", List.of(7, "z"))).isEqualTo(hex("07 7a 00 00 28 79 73 29"));
    assertThat(variant("as", List.of())).isEqualTo(hex("00 61 73"));
  }

  @Test
  void detachedMetadataMatchesOstree() {
    byte[] data = GVariant.serialize("a{sv}", List.of(List.of("sig", Variant.ofString("abc"))));
    assertThat(data).isEqualTo(hex("73 69 67 00 00 00 00 00 61 62 63 00 00 73 04 0f"));
    assertThat(GVariant.deserialize("a{sv}", data)).isEqualTo(List.of(List.of("sig", Variant.ofString("abc"))));
  }

  @Test
  void emptyDirtreeIsOneZeroByte() {
    assertThat(GVariant.serialize("(a(say)a(sayay))", List.of(List.of(), List.of()))).isEqualTo(new byte[] {0});
  }

  @Test
  void offsetWidthGrowsWithSize() {
    assertThat(GVariant.offsetSize(200, 5)).isEqualTo(1);
    assertThat(GVariant.offsetSize(251, 5)).isEqualTo(2);
    assertThat(GVariant.offsetSize(65_000, 600)).isEqualTo(4);
    assertThat(GVariant.offsetSizeForTotal(255)).isEqualTo(1);
    assertThat(GVariant.offsetSizeForTotal(256)).isEqualTo(2);
  }

  @Test
  void roundTripsLargeArraysWithFourByteOffsets() {
    List<Object> files = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      files.add(List.of(String.format("file-%05d.txt", i), new byte[32]));
    }
    GVariantType t = GVariantType.of("(a(say)a(sayay))");
    byte[] data = GVariant.serialize(t, List.of(files, List.of()));
    assertThat(GVariant.isNormalForm(t, data)).isTrue();
    List<?> back = (List<?>) GVariant.deserialize(t, data);
    assertThat((List<?>) back.get(0)).hasSize(3000);
  }

  @Test
  void rejectsTruncatedAndNonNormalData() {
    GVariantType t = GVariantType.of("(uuua(ayay))");
    assertThatThrownBy(() -> GVariant.deserialize(t, new byte[5])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GVariant.deserialize("s", new byte[] {'a'}))
        .hasMessageContaining("NUL-terminated");
    assertThatThrownBy(() -> GVariant.deserialize("s", new byte[] {(byte) 0xff, 0}))
        .hasMessageContaining("UTF-8");
    // a dirtree whose single offset is 2 bytes wide where 1 would do is not in normal form
    assertThat(GVariant.isNormalForm(GVariantType.of("(sas)"), new byte[] {'a', 0, 2, 0}))
        .isFalse();
  }

  @Test
  void typeFacts() {
    assertThat(GVariantType.of("(uuua(ayay))").alignment()).isEqualTo(4);
    assertThat(GVariantType.of("(uuu)").fixedSize()).isEqualTo(12);
    assertThat(GVariantType.of("(ty)").fixedSize()).isEqualTo(16);
    assertThat(GVariantType.of("()").fixedSize()).isEqualTo(1);
    assertThat(GVariantType.of("a{sv}").alignment()).isEqualTo(8);
    assertThatThrownBy(() -> GVariantType.of("(u")).hasMessageContaining("Unterminated");
  }
}
