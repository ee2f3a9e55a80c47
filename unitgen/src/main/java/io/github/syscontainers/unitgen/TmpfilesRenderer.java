package io.github.syscontainers.unitgen;

import java.util.List;
import java.util.Map;

/**
 * Renders the tmpfiles.d conf: the image's {@code tmpfiles.template}, or one {@code d} line per bind-mount source
 * missing on the host, as atomic generated them. An empty result means no conf at all.
 */
public final class TmpfilesRenderer {
  static final String TEMPLATE = "tmpfiles.template";

  private TmpfilesRenderer() {}

  /** Returns the tmpfiles text, possibly empty. */
  public static String render(
      ExportsDir exports, Map<String, ?> values, List<String> missingBindSources, int uid, int gid)
      throws UnitGenException {
    var template = exports.read(TEMPLATE);
    String text;
    if (template.isPresent()) {
      text = template.get();
    } else {
      StringBuilder b = new StringBuilder();
      for (String p : missingBindSources) {
        b.append("d    ").append(p).append("   0700 ").append(uid).append(' ').append(gid).append(" - -\n");
      }
      text = b.toString();
    }
    if (text.isEmpty()) {
      return "";
    }
    // atomic reports tmpfiles substitution errors under the service template's name (quirk kept for scripts)
    return TemplateSubstitutor.substitute(text, values, exports.file(UnitRenderer.TEMPLATE).toString());
  }
}
