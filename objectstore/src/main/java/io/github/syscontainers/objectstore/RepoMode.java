package io.github.syscontainers.objectstore;

import java.util.Optional;

/**
 * The storage modes of an OSTree repository, as named by the {@code mode} key of its {@code config}.
 *
 * @see <a href="https://ostreedev.github.io/ostree/formats/">OSTree repository modes</a>
 */
public enum RepoMode {
  /** Objects carry real ownership, mode and xattrs: needs root to write. */
  BARE("bare"),
  /** Objects are plain files; metadata lives in the {@code user.ostreemeta} xattr. */
  BARE_USER("bare-user"),
  /** Like bare-user without any xattr: ownership is always 0:0. */
  BARE_USER_ONLY("bare-user-only"),
  /** Content objects are headers plus raw deflate streams ({@code .filez}). */
  ARCHIVE("archive-z2");

  private final String configName;

  RepoMode(String configName) {
    this.configName = configName;
  }

  /** Returns the value written to {@code [core] mode}. */
  public String configName() {
    return configName;
  }

  /** Parses a {@code mode} value; a missing value means {@code bare}. */
  public static Optional<RepoMode> fromConfig(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.of(BARE);
    }
    if (value.equals("archive")) {
      return Optional.of(ARCHIVE);
    }
    for (RepoMode m : values()) {
      if (m.configName.equals(value)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
