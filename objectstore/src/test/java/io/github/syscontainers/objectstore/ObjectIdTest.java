package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An object's name is exactly 64 lower-case hex characters, and two ids are equal when their names are. */
class ObjectIdTest {
  static final String HEX = "0123456789abcdef".repeat(4);

  @Test
  void takesSixtyFourLowerCaseHexCharacters() {
    assertThat(ObjectId.isValid(HEX)).isTrue();
    assertThat(new ObjectId(HEX).hex()).isEqualTo(HEX);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "0123456789abcdef",
        "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
        "0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde/",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
        "../23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      })
  void refusesAnythingElse(String text) {
    assertThat(ObjectId.isValid(text)).isFalse();
    assertThatThrownBy(() -> new ObjectId(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 64 lower-case hex characters");
  }

  @Test
  void isEqualToAnotherIdOfTheSameName() {
    ObjectId a = new ObjectId(HEX);
    ObjectId b = ObjectId.of(HexFormat.of().parseHex(HEX));
    ObjectId c = new ObjectId("f" + HEX.substring(1));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c).isNotEqualTo(HEX);
    assertThat(b.toBytes()).isEqualTo(HexFormat.of().parseHex(HEX));
    assertThat(a.compareTo(c)).isNegative();
  }
}
