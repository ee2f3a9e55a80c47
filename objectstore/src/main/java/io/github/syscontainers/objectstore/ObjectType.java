package io.github.syscontainers.objectstore;

/** The kinds of OSTree object, with the file extensions they have under {@code objects/}. */
public enum ObjectType {
  FILE("file"),
  DIR_TREE("dirtree"),
  DIR_META("dirmeta"),
  COMMIT("commit");

  private final String extension;

  ObjectType(String extension) {
    this.extension = extension;
  }

  /** Returns the extension in bare modes ({@code file}, {@code dirtree}, …). */
  public String extension() {
    return extension;
  }

  /** Returns the extension in the given repository mode ({@code filez} for content in archive repositories). */
  public String extension(RepoMode mode) {
    return this == FILE && mode == RepoMode.ARCHIVE ? "filez" : extension;
  }
}
