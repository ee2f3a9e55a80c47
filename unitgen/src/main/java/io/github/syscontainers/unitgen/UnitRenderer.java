package io.github.syscontainers.unitgen;

import java.util.Map;

/** Renders the systemd unit: the image's {@code service.template}, or atomic's default unit. */
public final class UnitRenderer {
  static final String TEMPLATE = "service.template";

  /** atomic's SYSTEMD_UNIT_FILE_DEFAULT_TEMPLATE, leading newline included. */
  public static final String DEFAULT_TEMPLATE =
      "\n[Unit]\nDescription=$NAME\n\n[Service]\nExecStartPre=$EXEC_STARTPRE\nExecStart=$EXEC_START\n"
          + "ExecStop=$EXEC_STOP\nExecStopPost=$EXEC_STOPPOST\nRestart=on-failure\nWorkingDirectory=$DESTDIR\n"
          + "PIDFile=$PIDFILE\n\n[Install]\nWantedBy=multi-user.target\n";

  private UnitRenderer() {}

  /** Returns the unit template text (the image's or the default); values depend on it (pid-file detection). */
  public static String template(ExportsDir exports) throws UnitGenException {
    return exports.read(TEMPLATE).orElse(DEFAULT_TEMPLATE);
  }

  /** Substitutes the unit template. */
  public static String render(ExportsDir exports, String template, Map<String, ?> values) throws UnitGenException {
    return TemplateSubstitutor.substitute(template, values, exports.file(TEMPLATE).toString());
  }
}
