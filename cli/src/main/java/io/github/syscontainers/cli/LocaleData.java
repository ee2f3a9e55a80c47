package io.github.syscontainers.cli;

/**
 * Chooses the JDK's own locale data over CLDR's for the command's process. Jackson's ObjectMapper makes a date
 * format when its class initialises, which every command that reads an image does; with CLDR (the JDK's default)
 * that first date format loads and resolves CLDR's locale data. In profiles, 28 ms of a warm install's CPU went to
 * that date format; with the JDK's own data, 40 alternating warm installs were faster in 28, by 13-16 ms in the
 * medians. The CLI formats nothing by locale (its dates have fixed patterns, its numbers {@code Locale.ROOT}), so
 * the choice changes no output.
 */
final class LocaleData {
  /** The JDK's own provider; Java 21 warns that it will be removed, so it is used on earlier versions only. */
  static final String JDK_OWN = "COMPAT";

  private LocaleData() {}

  /**
   * Sets {@code java.locale.providers} to the JDK's own data, unless it was given (or the JDK warns about it). To be
   * called first thing in {@code main}: the JDK reads the property once, at the first locale-sensitive call.
   */
  static void preferJdkOwn() {
    if (System.getProperty("java.locale.providers") == null && Runtime.version().feature() < 21) {
      System.setProperty("java.locale.providers", JDK_OWN);
    }
  }
}
