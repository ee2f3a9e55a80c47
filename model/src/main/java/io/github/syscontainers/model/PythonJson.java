package io.github.syscontainers.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON the way Python's {@code json.dumps(obj, indent=4)} does, so files atomic rewrote (info, a default or
 * user-mode config.json) come out byte for byte the same: four-space indent, {@code ": "} between key and value,
 * non-ASCII escaped as {@code \\uXXXX}, empty containers as {@code {}} and {@code []}.
 */
public final class PythonJson {
  private PythonJson() {}

  /** Serialises {@code node}. */
  public static String dumps(JsonNode node) {
    StringBuilder b = new StringBuilder();
    write(node, b, 0);
    return b.toString();
  }

  private static void write(JsonNode n, StringBuilder b, int level) {
    if (n.isObject()) {
      if (n.size() == 0) {
        b.append("{}");
        return;
      }
      b.append("{\n");
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        indent(b, level + 1);
        string(e.getKey(), b);
        b.append(": ");
        write(e.getValue(), b, level + 1);
        b.append(it.hasNext() ? ",\n" : "\n");
      }
      indent(b, level);
      b.append('}');
    } else if (n.isArray()) {
      if (n.size() == 0) {
        b.append("[]");
        return;
      }
      b.append("[\n");
      for (int i = 0; i < n.size(); i++) {
        indent(b, level + 1);
        write(n.get(i), b, level + 1);
        b.append(i + 1 < n.size() ? ",\n" : "\n");
      }
      indent(b, level);
      b.append(']');
    } else if (n.isTextual()) {
      string(n.asText(), b);
    } else if (n.isNull() || n.isMissingNode()) {
      b.append("null");
    } else {
      b.append(n.toString());
    }
  }

  private static void indent(StringBuilder b, int level) {
    b.append("    ".repeat(level));
  }

  private static void string(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        case '\b':
          b.append("\\b");
          break;
        case '\f':
          b.append("\\f");
          break;
        default:
          if (c < 0x20 || c > 0x7e) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    b.append('"');
  }
}
