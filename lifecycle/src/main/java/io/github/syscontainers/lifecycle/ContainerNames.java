package io.github.syscontainers.lifecycle;

/**
 * Checks container names before they become paths ({@code CHECKOUT/NAME}, {@code /etc/systemd/system/NAME.service}).
 * atomic only refused the empty name; a name that is {@code .}, {@code ..}, contains {@code /} or starts with a dot
 * would escape the checkout directory or hide among its private entries, so it is refused too.
 */
public final class ContainerNames {
  private static final int MAX = 200;
  /** systemd's limit on a unit name is 255 characters; {@code .service} takes 8 of them. */
  private static final int MAX_UNIT = 200;

  private ContainerNames() {}

  /** Throws atomic's {@code Invalid container name} with the reason when the name cannot be used. */
  public static void validate(String name) throws LifecycleException {
    String why = null;
    if (name == null || name.isEmpty()) {
      why = "it is empty";
    } else if (name.equals(".") || name.equals("..") || name.contains("/")) {
      why = "it must not be '.', '..' or contain '/'";
    } else if (name.startsWith(".") || name.startsWith("-")) {
      why = "it must not start with '.' or '-'";
    } else if (name.length() > MAX) {
      why = "it is longer than " + MAX + " characters";
    } else {
      for (char c : name.toCharArray()) {
        if (c < 0x21 || c == 0x7f || c == '\\' || c == '\'' || c == '"') {
          why = "it contains a space, quote, backslash or control character";
          break;
        }
      }
    }
    if (why != null) {
      throw new LifecycleException(
          "Invalid container name '" + (name == null ? "" : name) + "': " + why
              + ". Use letters, digits, '-', '_', '.' and '@'");
    }
  }

  /**
   * Checks the name of a container about to be made, once and before anything is fetched or written: besides
   * {@link #validate}, it must be a name systemd takes for a unit and systemd-tmpfiles for a path, with nothing they
   * would expand ({@code %} specifiers, {@code $}, globs) or split ({@code ;}, {@code :}): ASCII letters, digits,
   * {@code -}, {@code _}, {@code .} and {@code @}, starting with a letter, a digit or {@code _}, not ending in
   * {@code @} (a template). Names of containers that already exist (atomic took any) are only checked by
   * {@link #validate}, so they can still be updated and uninstalled.
   */
  public static void validateNew(String name) throws LifecycleException {
    validate(name);
    String why = null;
    char first = name.charAt(0);
    if (!(isAsciiAlnum(first) || first == '_')) {
      why = "it must start with a letter, a digit or '_'";
    } else if (name.endsWith("@")) {
      why = "it must not end with '@', which makes a systemd template";
    } else if (name.length() > MAX_UNIT) {
      why = "it is longer than " + MAX_UNIT + " characters, too long for a systemd unit name";
    } else {
      for (char c : name.toCharArray()) {
        if (!(isAsciiAlnum(c) || c == '-' || c == '_' || c == '.' || c == '@')) {
          why = "'" + c + "' is not allowed: systemd and systemd-tmpfiles would read it as a specifier, a variable,"
              + " a pattern or a separator";
          break;
        }
      }
    }
    if (why != null) {
      throw new LifecycleException(
          "Invalid container name '" + name + "': " + why + ". Use letters, digits, '-', '_', '.' and '@'");
    }
  }

  private static boolean isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** Returns true when {@code name} could be a container name. */
  public static boolean isValid(String name) {
    try {
      validate(name);
      return true;
    } catch (LifecycleException e) {
      return false;
    }
  }

  /**
   * Returns atomic's default name for an image: the last path component, with {@code -TAG} unless the tag is
   * {@code latest}; a digest is dropped.
   */
  public static String defaultName(String image) {
    String s = image;
    int at = s.indexOf("@sha256:");
    if (at >= 0) {
      s = s.substring(0, at);
    }
    for (String prefix : new String[] {"oci-archive:", "docker-archive:", "docker://", "oci:", "docker:", "http:", "https:"}) {
      if (s.startsWith(prefix)) {
        s = s.substring(prefix.length());
      }
    }
    String last = s.substring(s.lastIndexOf('/') + 1);
    int colon = last.lastIndexOf(':');
    String base = colon >= 0 ? last.substring(0, colon) : last;
    String tag = colon >= 0 ? last.substring(colon + 1) : "latest";
    for (String ext : new String[] {".tar", ".oci"}) {
      if (base.endsWith(ext)) {
        base = base.substring(0, base.length() - ext.length());
      }
    }
    return tag.equals("latest") ? base : base + "-" + tag;
  }
}
