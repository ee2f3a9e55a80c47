package io.github.syscontainers.unitgen;

import java.util.List;

/**
 * What the image config says about its process, used for the default config.json of an image without
 * {@code /exports}: arguments (Entrypoint + Cmd), environment and working directory.
 */
public record ProcessDefaults(List<String> args, List<String> env, String cwd) {
  /** Nothing known: atomic's {@code run.sh} and runc's default environment. */
  public static final ProcessDefaults NONE = new ProcessDefaults(List.of(), List.of(), "");

  public ProcessDefaults {
    args = List.copyOf(args);
    env = List.copyOf(env);
  }
}
