package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.Updater;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code syscontainers containers update NAME}: a new deployment in the other slot from the image's current version
 * in the store (or {@code --rebase IMAGE}), with the stored values and {@code --set} on top; the service restarted if
 * it ran.
 */
public final class UpdateCommand {
  private final Session session;
  private final SourceSettings source = new SourceSettings();
  private String name;
  private final List<String> set = new ArrayList<>();
  private String rebase;
  private String runtime;

  UpdateCommand(Session session) {
    this.session = session;
  }

  /** The container (required). */
  public UpdateCommand setName(String name) {
    this.name = name;
    return this;
  }

  /** {@code --set NAME=VALUE}. */
  public UpdateCommand setValue(String variable, String value) {
    set.add(variable + "=" + value);
    return this;
  }

  /** {@code --set NAME=VALUE}, as the flag takes it (a malformed one is refused by the call, with atomic's words). */
  public UpdateCommand setValue(String nameEqualsValue) {
    set.add(nameEqualsValue);
    return this;
  }

  /** {@code --runtime PATH}: another OCI runtime (default: the one recorded). */
  public UpdateCommand setRuntime(String runtime) {
    this.runtime = runtime;
    return this;
  }

  /** {@code --rebase IMAGE}: move the container to another image. */
  public UpdateCommand setRebase(String image) {
    this.rebase = image;
    return this;
  }

  /** {@code --tls-verify}, for a rebase image that must be pulled. */
  public UpdateCommand setTlsVerify(boolean verify) {
    source.sources = source.sources.withTlsVerify(verify);
    return this;
  }

  /** All the source flags at once (the individual setters change one of them). */
  public UpdateCommand setSources(Sources sources) {
    source.sources = java.util.Objects.requireNonNull(sources, "sources");
    return this;
  }

  /** Where a pull's progress goes (default: nowhere). */
  public UpdateCommand setProgress(Progress progress) {
    source.progress = java.util.Objects.requireNonNull(progress, "progress");
    return this;
  }

  public Updated call() throws SystemContainersException {
    if (name == null) {
      throw new SystemContainersException("update", null, "No container to update: call setName first", 2, null);
    }
    try {
      Updater.Outcome o = new Updater(session.context()).update(name, set, Optional.ofNullable(rebase),
          Optional.ofNullable(runtime), source.options(session), source.sources.platform(), false);
      return new Updated(o == Updater.Outcome.UPDATED, session.installed("update", name));
    } catch (LifecycleException e) {
      throw Session.failure("update", name, e);
    }
  }
}
