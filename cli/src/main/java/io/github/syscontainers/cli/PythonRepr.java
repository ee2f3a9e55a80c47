package io.github.syscontainers.cli;

import java.util.ArrayList;
import java.util.List;

/** Values as Python's {@code str()} printed them, where atomic's messages embed them and scripts grep for them. */
final class PythonRepr {
  private PythonRepr() {}

  /** A list of strings as Python prints it: {@code ['a', 'b']}. */
  static String list(List<String> items) {
    List<String> quoted = new ArrayList<>();
    items.forEach(i -> quoted.add("'" + i.replace("\\", "\\\\").replace("'", "\\'") + "'"));
    return "[" + String.join(", ", quoted) + "]";
  }
}
