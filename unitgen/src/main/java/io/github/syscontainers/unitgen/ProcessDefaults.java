package io.github.syscontainers.unitgen;

import java.util.List;
import java.util.OptionalInt;

/**
 * What the image config says about its process, used for the default config.json of an image without
 * {@code /exports}: arguments (Entrypoint + Cmd), environment, working directory, and the user as numeric ids
 * (resolved from the image's own {@code /etc/passwd} and {@code /etc/group} when the config names them).
 */
public record ProcessDefaults(List<String> args, List<String> env, String cwd, OptionalInt uid, OptionalInt gid) {
  /** Nothing known: atomic's {@code run.sh} and runc's default environment, root. */
  public static final ProcessDefaults NONE =
      new ProcessDefaults(List.of(), List.of(), "", OptionalInt.empty(), OptionalInt.empty());

  public ProcessDefaults {
    args = List.copyOf(args);
    env = List.copyOf(env);
  }
}
