package io.github.syscontainers.unitgen;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Substitutes {@code $NAME}, {@code ${NAME}} and {@code $$} exactly as Python's {@code string.Template} does, which
 * is what atomic used on every template. Identifiers are {@code [_a-zA-Z][_a-zA-Z0-9]*}; any other character after
 * {@code $} is an invalid placeholder.
 *
 * <p>Stateless and thread-safe.
 *
 * @see <a href="https://docs.python.org/3/library/string.html#template-strings">Python template strings</a>
 */
public final class TemplateSubstitutor {
  private TemplateSubstitutor() {}

  /**
   * Substitutes strictly, as {@code Template.substitute}: a placeholder without a value fails with atomic's message
   * {@code The template file 'F' still contains an unreplaced value for: ''VAR''}.
   *
   * @param fileName names the template in error messages
   */
  public static String substitute(String template, Map<String, ?> values, String fileName) throws UnitGenException {
    StringBuilder out = new StringBuilder(template.length() + 64);
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 < n && template.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      int start;
      int end;
      int next;
      if (i + 1 < n && template.charAt(i + 1) == '{') {
        start = i + 2;
        end = identifierEnd(template, start);
        if (end == start || end >= n || template.charAt(end) != '}') {
          throw invalid(template, i);
        }
        next = end + 1;
      } else {
        start = i + 1;
        end = identifierEnd(template, start);
        if (end == start) {
          throw invalid(template, i);
        }
        next = end;
      }
      String name = template.substring(start, end);
      Object v = values.get(name);
      if (v == null) {
        throw new UnitGenException(
            "The template file '" + fileName + "' still contains an unreplaced value for: ''" + name + "''");
      }
      out.append(v);
      i = next;
    }
    return out.toString();
  }

  /** Returns the placeholder names a template uses, in order of first appearance ({@code $$} skipped). */
  public static Set<String> placeholders(String template) {
    Set<String> names = new LinkedHashSet<>();
    int i = 0;
    while (i < template.length()) {
      if (template.charAt(i) != '$') {
        i++;
        continue;
      }
      if (i + 1 < template.length() && template.charAt(i + 1) == '$') {
        i += 2;
        continue;
      }
      boolean braced = i + 1 < template.length() && template.charAt(i + 1) == '{';
      int start = braced ? i + 2 : i + 1;
      int end = identifierEnd(template, start);
      if (end > start && (!braced || (end < template.length() && template.charAt(end) == '}'))) {
        names.add(template.substring(start, end));
      }
      i = Math.max(end, i + 1);
    }
    return names;
  }

  private static int identifierEnd(String s, int start) {
    int i = start;
    if (i < s.length() && isIdentStart(s.charAt(i))) {
      i++;
      while (i < s.length() && isIdentPart(s.charAt(i))) {
        i++;
      }
    }
    return i;
  }

  private static boolean isIdentStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9');
  }

  /** Python's message: 1-based line, and the column counted from the start of that line. */
  private static UnitGenException invalid(String template, int index) {
    int line = 1;
    int lineStart = 0;
    for (int k = 0; k < index; k++) {
      if (template.charAt(k) == '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    int col = index - lineStart + 1;
    return new UnitGenException("Invalid placeholder in string: line " + line + ", col " + col);
  }
}
