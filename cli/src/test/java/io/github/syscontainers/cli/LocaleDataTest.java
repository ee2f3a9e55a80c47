package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI's process takes the JDK's own locale data, unless told otherwise or on a JDK that warns about it. */
class LocaleDataTest {
  private static final String KEY = "java.locale.providers";
  private String before;

  @BeforeEach
  void save() {
    before = System.getProperty(KEY);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(KEY);
    } else {
      System.setProperty(KEY, before);
    }
  }

  @Test
  void theJdksOwnDataWhenNoneWasAskedForBeforeJava21() {
    System.clearProperty(KEY);
    LocaleData.preferJdkOwn();
    if (Runtime.version().feature() < 21) {
      assertThat(System.getProperty(KEY)).isEqualTo("COMPAT");
    } else {
      assertThat(System.getProperty(KEY)).as("Java 21 warns about COMPAT: left alone").isNull();
    }
  }

  @Test
  void aChoiceGivenOnTheCommandLineIsKept() {
    System.setProperty(KEY, "CLDR,SPI");
    LocaleData.preferJdkOwn();
    assertThat(System.getProperty(KEY)).isEqualTo("CLDR,SPI");
  }
}
