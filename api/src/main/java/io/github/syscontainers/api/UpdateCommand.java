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

  /** {@code --rebase IMAGE}: move the container to another image. */
  public UpdateCommand setRebase(String image) {
    this.rebase = image;
    return this;
  }

  /** {@code --tls-verify}, for a rebase image that must be pulled. */
  public UpdateCommand setTlsVerify(boolean verify) {
    source.tlsVerify = verify;
    return this;
  }

  public Updated call() throws SystemContainersException {
    if (name == null) {
      throw new SystemContainersException("update", null, "No container to update: call setName first", 2, null);
    }
    try {
      Updater.Outcome o = new Updater(session.context()).update(name, set, Optional.ofNullable(rebase),
          Optional.empty(), source.options(session), source.platform, false);
      return new Updated(o == Updater.Outcome.UPDATED, session.installed("update", name));
    } catch (LifecycleException e) {
      throw Session.failure("update", name, e);
    }
  }
}
